import { EventEmitter } from 'node:events'
import type { DhtAddress } from 'bittorrent-dht'
import { byDistance, walkStep, xorDistance, type WalkState } from './walk-policy.ts'
import type { DhtNodeHealth } from './node-health.ts'
import { COMPACT_IPV4_BYTES, decodeCompactIPv4, formatHostPort, isPort, isUnicastIPv4 } from '../wire/address.ts'
import type { Clock } from '../timers.ts'

/** A KRPC answer as k-rpc-socket decodes it (byte strings as Buffers); only `r` is read, and checked. */
export interface LookupReply { r?: unknown }

export type LookupQuery = { q: 'get_peers'; a: { id: Uint8Array; info_hash: Uint8Array } } |
{ q: 'announce_peer'; a: { id: Uint8Array; info_hash: Uint8Array; port: number; implied_port: 1; token: Uint8Array } }

/** The KRPC layer a lookup runs on (bittorrent-dht's k-rpc, adapted in dht.ts). */
export interface LookupRpc {
  readonly id: Uint8Array
  /** The routing table's nodes closest to `target`. */
  closest (target: Uint8Array, n: number): Array<DhtAddress & { id: Uint8Array }>
  /** Where a lookup starts when the routing table is thin. */
  routers (): DhtAddress[]
  /**
   * Sends one query (a node with an id must answer with that id); returns what cancels it (the
   * callback then gets a timeout). Never calls back before returning.
   */
  query (node: DhtAddress & { id?: Uint8Array }, message: LookupQuery, cb: (err: Error | null, reply: LookupReply | null) => void): () => void
  /** A routing-table node that did not answer: dropped from the table. */
  forget (id: Uint8Array): void
}

export interface LookupOptions {
  rpc: LookupRpc
  infohash: Uint8Array
  /** Our DHT port (announced with implied_port, so nodes record the port our packets come from). */
  port: number
  health: DhtNodeHealth
  clock: Clock
  /**
   * Asked as each announce lands: true to ask that node for peers once more, so a member who
   * announced there while we were looking is found now (one of two simultaneous joiners always
   * announces second, and its second look sees the first).
   */
  lookAgain: () => boolean
}

interface LookupEvents {
  peer: [DhtAddress]
  /** The walk settled on the nodes closest to the infohash (how many answered); announcing starts. */
  settled: [answered: number]
  /** Every announce has been answered or given up on (how many nodes took it). */
  announced: [taken: number]
}

/** Answered nodes closest to the infohash that settle a walk and are announced to (BEP 5's K). */
const K = 8
/** Queries waited for at once. */
const PARALLEL = 8
/** Routing-table nodes a walk starts from. */
const START_WIDTH = 2 * K
/** get_peers queries one walk may send: a walk of the mainline DHT needs a few dozen. */
const MAX_QUERIES = 64
/** Nodes a walk keeps in mind (the closest; the farthest not yet asked are dropped past this). */
const MAX_CANDIDATES = 128
const ID_BYTES = 20
const COMPACT_NODE_BYTES = ID_BYTES + COMPACT_IPV4_BYTES
const MAX_TOKEN_BYTES = 64

interface Candidate {
  readonly host: string
  readonly port: number
  readonly address: string
  id: Uint8Array | null
  distance: Uint8Array | null
  state: WalkState
  askedAt: number
  suspect: boolean
  token: Uint8Array | null
}

/**
 * One lookup-and-announce of an infohash (BEP 5): walks toward it with get_peers, reporting the
 * peers the nodes hold; once the walk settles (see walkStep: the closest nodes have answered and
 * nobody slow is waited for) it announces to the closest that answered, each with its token, and,
 * while `lookAgain()` says so, asks each node that took the announce for peers once more.
 * Late answers still count until the queries time out; stop() ends everything.
 */
export class DhtLookup extends EventEmitter<LookupEvents> {
  readonly #opts: LookupOptions
  readonly #candidates = new Map<string, Candidate>()
  readonly #cancels = new Set<() => void>()
  #budget = MAX_QUERIES
  #settled = false
  #stopped = false
  #timer: (() => void) | null = null

  constructor (opts: LookupOptions) {
    super()
    this.#opts = opts
  }

  get settled (): boolean { return this.#settled }

  start (): void {
    const { rpc, infohash } = this.#opts
    const table = rpc.closest(infohash, START_WIDTH)
    for (const node of table) this.#add(node.host, node.port, node.id)
    if (table.length < K) for (const router of rpc.routers()) this.#add(router.host, router.port, null)
    this.#step()
  }

  stop (): void {
    this.#stopped = true
    this.#timer?.()
    this.#timer = null
    for (const cancel of [...this.#cancels]) cancel()
    this.#cancels.clear()
  }

  #add (host: string, port: number, id: Uint8Array | null): void {
    const address = formatHostPort(host, port)
    if (this.#candidates.has(address) || (id !== null && Buffer.from(id).equals(this.#opts.rpc.id))) return
    const distance = id === null ? null : xorDistance(id, this.#opts.infohash)
    this.#candidates.set(address, { host, port, address, id, distance, state: 'new', askedAt: 0, suspect: this.#opts.health.suspect(address), token: null })
    if (this.#candidates.size <= MAX_CANDIDATES) return
    // One pass, not a sort: a hostile reply adds dozens of candidates, each of which lands here.
    let farthest: Candidate | undefined
    for (const c of this.#candidates.values()) if (c.state === 'new' && (farthest === undefined || byDistance(c, farthest) >= 0)) farthest = c
    if (farthest !== undefined) this.#candidates.delete(farthest.address)
  }

  #step (): void {
    if (this.#stopped || this.#settled) return
    const now = this.#opts.clock.now()
    const slowAfterMs = this.#opts.health.slowAfterMs
    const step = walkStep([...this.#candidates.values()], now, { k: K, parallel: PARALLEL, slowAfterMs, budget: this.#budget })
    for (const node of step.ask) this.#ask(node, slowAfterMs)
    this.#timer?.()
    this.#timer = null
    if (step.settled) {
      this.#settle(step.closest)
      return
    }
    if (step.nextCheckAt !== null) this.#timer = this.#opts.clock.after(Math.max(0, step.nextCheckAt - now), () => { this.#timer = null; this.#step() })
  }

  #ask (node: Candidate, slowAfterMs: number): void {
    const { rpc, infohash, health, clock } = this.#opts
    this.#budget--
    node.state = 'asked'
    node.askedAt = clock.now()
    // A node that failed lately is given only the time a live one takes, then counted as failed again.
    const expire = node.suspect ? clock.after(slowAfterMs, () => { cancel() }) : null
    if (expire !== null) this.#cancels.add(expire)
    const cancel = this.#query(node, { q: 'get_peers', a: { id: rpc.id, info_hash: infohash } }, (err, reply) => {
      if (expire !== null) {
        expire()
        this.#cancels.delete(expire)
      }
      const r = err === null ? replyBody(reply) : null
      if (r === null) {
        node.state = 'failed'
        // An error answer comes from a live node; silence (or the wrong node) is what makes a suspect.
        if (err === null || isSilence(err)) {
          health.failed(node.address)
          if (node.id !== null) rpc.forget(node.id)
        }
      } else {
        health.answered(node.address, clock.now() - node.askedAt)
        if (node.id === null) {
          node.id = r.id
          node.distance = xorDistance(r.id, infohash)
        }
        node.state = 'answered'
        node.token = r.token
        this.#report(r.values)
        for (const found of compactNodes(r.nodes)) this.#add(found.host, found.port, found.id)
      }
      this.#step()
    })
  }

  #settle (closest: Candidate[]): void {
    this.#settled = true
    this.emit('settled', closest.length)
    const { rpc, infohash, port } = this.#opts
    const targets = closest.filter(c => c.token !== null)
    let open = targets.length
    let taken = 0
    if (open === 0) this.emit('announced', 0)
    for (const node of targets) {
      const token = node.token ?? new Uint8Array(0)
      this.#query(node, { q: 'announce_peer', a: { id: rpc.id, info_hash: infohash, port, implied_port: 1, token } }, (err) => {
        if (err === null) {
          taken++
          if (this.#opts.lookAgain()) this.#lookAgain(node)
        }
        if (--open === 0) this.emit('announced', taken)
      })
    }
  }

  #lookAgain (node: Candidate): void {
    const { rpc, infohash } = this.#opts
    this.#query(node, { q: 'get_peers', a: { id: rpc.id, info_hash: infohash } }, (err, reply) => {
      if (err === null) this.#report(replyBody(reply)?.values)
    })
  }

  /** Sends a query that stop() cancels (with any timer in #cancels); the callback never runs after stop(). */
  #query (node: Candidate, message: LookupQuery, cb: (err: Error | null, reply: LookupReply | null) => void): () => void {
    if (this.#stopped) return () => {}
    let cancel: () => void = () => {}
    let open = true
    cancel = this.#opts.rpc.query({ host: node.host, port: node.port, ...(node.id === null ? {} : { id: node.id }) }, message, (err, reply) => {
      if (!open) return
      open = false
      this.#cancels.delete(cancel)
      if (!this.#stopped) cb(err, reply)
    })
    if (open) this.#cancels.add(cancel)
    return cancel
  }

  #report (values: unknown): void {
    for (const peer of compactPeers(values)) {
      if (this.#stopped) return
      this.emit('peer', peer)
    }
  }
}

interface ReplyBody { id: Uint8Array; token: Uint8Array | null; values: unknown; nodes: unknown }

/** The `r` of an answer, with a 20-byte id (krpc-socket.ts lets no answer without one through) and a token of sane size. */
function replyBody (reply: LookupReply | null): ReplyBody | null {
  const r = reply?.r
  if (typeof r !== 'object' || r === null) return null
  const { id, token, values, nodes } = r as Record<string, unknown>
  if (!(id instanceof Uint8Array) || id.length !== ID_BYTES) return null
  const validToken = token instanceof Uint8Array && token.length > 0 && token.length <= MAX_TOKEN_BYTES ? token : null
  return { id, token: validToken, values, nodes }
}

function isSilence (err: Error): boolean {
  const code = (err as Error & { code?: unknown }).code
  return code === 'ETIMEDOUT' || code === 'EUNEXPECTEDNODE'
}

/** BEP 5 compact peers: a list of 6-byte strings (IPv4, port); anything else is skipped. */
export function compactPeers (values: unknown): DhtAddress[] {
  if (!Array.isArray(values)) return []
  const out: DhtAddress[] = []
  for (const v of values) {
    if (!(v instanceof Uint8Array) || v.length !== COMPACT_IPV4_BYTES) continue
    out.push(decodeCompactIPv4(v))
  }
  return out
}

/** BEP 5 compact nodes (20-byte id, IPv4, port each) that can be asked; a ragged tail is ignored. */
export function compactNodes (nodes: unknown): Array<DhtAddress & { id: Uint8Array }> {
  if (!(nodes instanceof Uint8Array)) return []
  const out: Array<DhtAddress & { id: Uint8Array }> = []
  for (let i = 0; i + COMPACT_NODE_BYTES <= nodes.length; i += COMPACT_NODE_BYTES) {
    const { host, port } = decodeCompactIPv4(nodes, i + ID_BYTES)
    if (isUnicastIPv4(host) && isPort(port)) out.push({ id: nodes.slice(i, i + ID_BYTES), host, port })
  }
  return out
}
