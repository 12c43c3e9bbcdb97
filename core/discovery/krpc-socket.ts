import { EventEmitter } from 'node:events'
import { isIPv4 } from 'node:net'
import type { DhtSocket } from 'bittorrent-dht'
import { decode, type BDict, type BValue } from '../codec/bencode.ts'
import { COMPACT_IPV4_BYTES, decodeCompactIPv4, encodeCompactIPv4, isPort } from '../wire/address.ts'
import { errorMessage } from '../error-message.ts'
import { SourceRateLimiter } from '../limits/source-rate-limiter.ts'
import { TokenBucket } from '../limits/token-bucket.ts'

// KRPC messages are a dictionary holding at most a dictionary holding a list of strings; a
// get_peers answer of ~100 peers is a few hundred items. Deeper or bigger is not a DHT message.
const KRPC_LIMITS = { maxDepth: 4, maxItems: 2_000 }
const ID_BYTES = 20
const MAX_TOKEN_BYTES = 64
const BENCODED_DICT = 0x64
const UNSUPPORTED = 'unsupported query'
// A get_peers answer with 100 peers and 8 nodes is about 1.1 KB; BEP 5 messages never need more
// than this, and anything bigger is dropped before it costs a decode.
export const MAX_KRPC_DATAGRAM = 2_048
/**
 * KRPC messages handled per source address and in all, before decoding. A DHT node hears from one
 * address a handful of times a minute, and from all of them a few per second; a flood's excess is
 * dropped unread, which bounds the work (and the garbage) it can cause. The sources remembered are
 * bounded too, the least recent forgotten first.
 */
export const KRPC_RATE = { perSource: { ratePerSecond: 20, burst: 50 }, total: { ratePerSecond: 1_000, burst: 2_000 }, maxSources: 4_096 }
// Hostile datagrams come in floods: at most this many are reported, each saying how many went unreported.
const PROBLEM_REPORTS = { ratePerSecond: 1, burst: 10 }

/** What KrpcSocket needs of a UDP socket: a node:dgram one, or the node's UDP endpoint's SharedDatagrams. */
export interface DatagramSocket {
  on (event: 'message', listener: (buf: Buffer, from: { address: string; port: number }) => void): unknown
  off (event: 'message', listener: (buf: Buffer, from: { address: string; port: number }) => void): unknown
  send (buf: Uint8Array, offset: number, length: number, port: number, host: string, cb: (err: Error | null) => void): void
  address (): { address: string; port: number }
}

/** An answer names, under `ip`, the address its query came from (BEP 42): 4 bytes of IPv4 and 2 of port. */
const IP_KEY = Buffer.from('2:ip6:', 'latin1')
const RESPONSE_START = Buffer.from('d1:rd', 'latin1')
const QUERY_START = Buffer.from('d1:ad', 'latin1')
/**
 * Our queries awaiting an answer, by destination and transaction id: only an answer to one of them
 * says where we were seen (anyone can send an 'answer' from any address). Bounded; bittorrent-dht
 * gives up on a query well before this.
 */
const MAX_ASKED = 2_048
const ASKED_MS = 30_000

/**
 * Lends bittorrent-dht the caller's socket. Only well-formed KRPC messages reach the DHT (anything
 * not starting like a bencoded dictionary is someone else's traffic, ignored), and closing only
 * detaches from the socket. Nothing thrown while the DHT handles a message escapes to the socket.
 * Our answers tell each querier the address we saw it at, and the addresses answers tell us go to
 * `onObserved`: how our NAT maps this socket, seen from each DHT node (BEP 42's `ip`).
 */
export class KrpcSocket extends EventEmitter implements DhtSocket {
  readonly #socket: DatagramSocket
  readonly #onProblem: (err: Error) => void
  readonly #onObserved: ((observed: { host: string; port: number }, by: { host: string; port: number }) => void) | undefined
  readonly #asked = new Map<string, number>()
  readonly #limiter = new SourceRateLimiter(KRPC_RATE)
  readonly #reports = new TokenBucket(PROBLEM_REPORTS)
  #unreported = 0
  readonly #onMessage = (buf: Buffer, rinfo: { address: string; port: number }): void => {
    if (buf[0] !== BENCODED_DICT || !this.#limiter.allow(rinfo.address)) return
    const checked = buf.length > MAX_KRPC_DATAGRAM ? `${buf.length} bytes, more than a DHT message needs` : checkKrpc(buf)
    if (checked === UNSUPPORTED) return
    if (typeof checked === 'string') {
      this.#report(`dropped a DHT message from ${rinfo.address}:${rinfo.port}: ${checked}`)
      return
    }
    const seenAs = observedIn(checked)
    if (seenAs !== null && this.#answers(checked, rinfo)) this.#onObserved?.(seenAs, { host: rinfo.address, port: rinfo.port })
    try {
      this.emit('message', buf, rinfo)
    } catch (err) {
      this.#report(`DHT message from ${rinfo.address}:${rinfo.port} failed: ${errorMessage(err)}`)
    }
  }

  constructor (socket: DatagramSocket, onProblem: (err: Error) => void, onObserved?: (observed: { host: string; port: number }, by: { host: string; port: number }) => void) {
    super()
    this.#socket = socket
    this.#onProblem = onProblem
    this.#onObserved = onObserved
    socket.on('message', this.#onMessage)
  }

  /** Datagrams dropped unread for exceeding a rate; sources whose rate is tracked now. */
  get flood (): { dropped: number; sources: number } {
    return { dropped: this.#limiter.dropped, sources: this.#limiter.sources }
  }

  #noteQuery (message: Uint8Array, host: string, port: number): void {
    if (message.length < QUERY_START.length || !QUERY_START.equals(message.subarray(0, QUERY_START.length))) return
    let t: BValue | undefined
    try {
      t = (decode(message, KRPC_LIMITS) as BDict).t
    } catch {
      return
    }
    if (!(t instanceof Uint8Array)) return
    const now = Date.now()
    for (const [key, at] of this.#asked) {
      if (at > now - ASKED_MS && this.#asked.size < MAX_ASKED) break
      this.#asked.delete(key)
    }
    this.#asked.set(askedKey(host, port, t), now)
  }

  /** Whether this answer is to a query of ours, to the address it comes from (forgotten then). */
  #answers (msg: BDict, from: { address: string; port: number }): boolean {
    return msg.t instanceof Uint8Array && this.#asked.delete(askedKey(from.address, from.port, msg.t))
  }

  #report (problem: string): void {
    if (!this.#reports.tryTake()) {
      this.#unreported++
      return
    }
    const more = this.#unreported
    this.#unreported = 0
    this.#onProblem(new Error(more === 0 ? problem : `${problem} (and ${more} more not reported)`))
  }

  send (buf: Buffer, offset: number, length: number, port: number, host: string, cb: (err: Error | null) => void): void {
    try {
      const message = withObserved(buf.subarray(offset, offset + length), host, port)
      if (this.#onObserved !== undefined) this.#noteQuery(message, host, port)
      this.#socket.send(message, 0, message.length, port, host, cb)
    } catch (err) {
      // A socket its owner closed throws here; the DHT must only see a failed query.
      process.nextTick(cb, err instanceof Error ? err : new Error(String(err)))
    }
  }

  address (): { address: string; family: string; port: number } {
    return { family: 'IPv4', ...this.#socket.address() }
  }

  close (): void {
    this.#socket.off('message', this.#onMessage)
    process.nextTick(() => { this.emit('close') })
  }
}

/**
 * An answer (bencoded keys are sorted, so one starts with `r`) gets `ip` first: the one key that sorts
 * before `r` in an answer. Anything else goes as it is.
 */
export function withObserved (message: Uint8Array, host: string, port: number): Uint8Array {
  if (!isIPv4(host) || message.length < RESPONSE_START.length || !RESPONSE_START.equals(message.subarray(0, RESPONSE_START.length))) return message
  return Buffer.concat([message.subarray(0, 1), IP_KEY, encodeCompactIPv4(host, port), message.subarray(1)])
}

function askedKey (host: string, port: number, t: Uint8Array): string {
  return `${host}:${port}/${Buffer.from(t).toString('hex')}`
}

function observedIn (msg: BDict): { host: string; port: number } | null {
  const ip = msg.ip
  if (!(ip instanceof Uint8Array) || ip.length !== COMPACT_IPV4_BYTES || text(msg.y) !== 'r') return null
  const seen = decodeCompactIPv4(ip)
  return isPort(seen.port) ? seen : null
}

/**
 * The message, or why a datagram must not reach bittorrent-dht. Past this check, every field
 * bittorrent-dht reads without looking (ids, targets, tokens) is a byte string of the right size:
 * a response id that is a number, say, would otherwise throw inside k-rpc-socket and leave its
 * lookup waiting forever. Queries we do not serve (BEP 44 get/put and the like) are UNSUPPORTED.
 */
function checkKrpc (buf: Buffer): BDict | string {
  let msg: BValue
  try {
    msg = decode(buf, KRPC_LIMITS)
  } catch (err) {
    return errorMessage(err)
  }
  if (!isDict(msg)) return 'not a dictionary'
  if (!(msg.t instanceof Uint8Array)) return 'no transaction id'
  const problem = messageProblem(msg)
  return problem ?? msg
}

function messageProblem (msg: BDict): string | null {
  switch (text(msg.y)) {
    case 'q': return queryProblem(msg)
    case 'r': return isDict(msg.r) && isId(msg.r.id) ? null : 'response without a 20-byte node id'
    case 'e': return Array.isArray(msg.e) ? null : 'error that is not a list'
    default: return 'unknown message type'
  }
}

function queryProblem (msg: BDict): string | null {
  const a = msg.a
  if (!isDict(a) || !isId(a.id)) return 'query without a 20-byte node id'
  switch (text(msg.q)) {
    case 'ping': return null
    case 'find_node': return isId(a.target) ? null : 'find_node without a 20-byte target'
    case 'get_peers': return isId(a.info_hash) ? null : 'get_peers without a 20-byte info_hash'
    case 'announce_peer': {
      const token = a.token instanceof Uint8Array && a.token.length <= MAX_TOKEN_BYTES
      const port = a.implied_port === 1 || (typeof a.port === 'number' && isPort(a.port))
      return isId(a.info_hash) && token && port ? null : 'malformed announce_peer'
    }
    default: return UNSUPPORTED
  }
}

function isDict (v: BValue | undefined): v is BDict {
  return typeof v === 'object' && !(v instanceof Uint8Array) && !Array.isArray(v)
}

function isId (v: BValue | undefined): boolean {
  return v instanceof Uint8Array && v.length === ID_BYTES
}

function text (v: BValue | undefined): string {
  return v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : ''
}
