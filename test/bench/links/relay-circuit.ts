// Three ends in this thread over loopback TCP, each link a whole core Connection: Alice and Bob each
// connected to a relay, and a relayed Connection from Alice to Bob made by core's own parts (Alice's
// RelayClient asks, the relay's RelayService joins, Bob's RelayAcceptor answers with the responder),
// as the node's Relaying wires them. Alice and Bob can also be linked directly, for the baseline.
import { randomBytes } from 'node:crypto'
import { Connection } from '../../../core/connection/connection.ts'
import { CloseCode } from '../../../core/connection/close-codes.ts'
import { toHex } from '../../../core/codec/hex.ts'
import { generateIdentity, type Identity } from '../../../core/identity/identity.ts'
import { silentLogger } from '../../../core/log.ts'
import { RelayAcceptor } from '../../../core/relay/relay-acceptor.ts'
import { RelayClient } from '../../../core/relay/relay-client.ts'
import type { RelayLimits } from '../../../core/relay/relay-limits.ts'
import { RELAY_PROTOCOL, RELAYED_PROTOCOL } from '../../../core/relay/relay-protocol.ts'
import { RelayService } from '../../../core/relay/relay-service.ts'
import type { RawStream } from '../../../core/transport/raw-stream.ts'
import { tcpRawPair } from './connection-pair.ts'

export interface Ends { a: Connection; b: Connection }

/** Resolves once `connection` is established; rejects with why if it closes first. */
async function established (connection: Connection): Promise<void> {
  if (connection.established) return
  await new Promise<void>((resolve, reject) => {
    connection.once('established', () => { resolve() })
    connection.once('close', (info) => { reject(new Error(`handshake failed: ${info.text}`)) })
  })
}

/** A Connection over a fresh loopback TCP pair from `dialler` to `listener`, both ends established. */
async function tcpConnection (dialler: Identity, listener: Identity, psk: Uint8Array): Promise<Ends & { close: () => Promise<void> }> {
  const raw = await tcpRawPair()
  const a = new Connection({ stream: raw.a, initiator: true, identity: dialler, psks: [psk], log: silentLogger })
  const b = new Connection({ stream: raw.b, initiator: false, identity: listener, psks: [psk], log: silentLogger })
  await Promise.all([established(a), established(b)])
  return { a, b, close: async () => { a.close(CloseCode.NORMAL); b.close(CloseCode.NORMAL); await raw.close() } }
}

export interface RelayBench {
  /** A fresh relayed Connection from Alice to Bob, through the relay, with the relay's limits as given. */
  relayed (limits: RelayLimits): Promise<Ends>
  /** A fresh direct Connection from Alice to Bob over loopback TCP. */
  direct (): Promise<Ends>
  close (): Promise<void>
}

export async function relayBench (): Promise<RelayBench> {
  const psk = randomBytes(32)
  const [alice, relay, bob] = [generateIdentity(), generateIdentity(), generateIdentity()]
  const [aliceKey, relayKey, bobKey] = [alice, relay, bob].map(id => toHex(id.publicKey)) as [string, string, string]
  const toRelay = [await tcpConnection(alice, relay, psk), await tcpConnection(bob, relay, psk)]
  const [aliceLink, bobLink] = toRelay as [Ends & { close: () => Promise<void> }, Ends & { close: () => Promise<void> }]
  const closes: Array<() => Promise<void>> = toRelay.map(l => l.close)
  const relaysEnd = new Map([[aliceKey, aliceLink.b], [bobKey, bobLink.b]])

  let service: RelayService | null = null
  for (const end of relaysEnd.values()) end.on('stream', (s) => { if (s.protocol === RELAY_PROTOCOL) service?.handle(end, s) })

  let bobsEnd: ((c: Connection) => void) | null = null
  const acceptor = new RelayAcceptor({
    ownKeyHex: bobKey,
    isBlocked: () => false,
    connectedDirectly: () => false,
    respond: (stream: RawStream) => {
      const connection = new Connection({ stream, initiator: false, identity: bob, psks: [psk], log: silentLogger })
      bobsEnd?.(connection)
      return connection
    },
    log: silentLogger
  })
  bobLink.a.on('stream', (s) => { if (s.protocol === RELAYED_PROTOCOL) acceptor.handle(bobLink.a, s) })

  let alicesEnd: Connection | null = null
  const client = new RelayClient({
    connectionTo: (key) => key === relayKey ? aliceLink.a : undefined,
    candidates: () => [{ keyHex: relayKey, neighbour: true, sharesChannel: true, rttMs: null }],
    dialOver: async (stream) => {
      const connection = new Connection({ stream, initiator: true, identity: alice, psks: [psk], expectedRemote: bob.publicKey, log: silentLogger })
      alicesEnd = connection
      await established(connection)
      return { kind: 'connected', keyHex: bobKey }
    },
    log: silentLogger
  })

  const opened: Connection[] = []
  return {
    async relayed (limits) {
      service?.stopAll()
      service = new RelayService({ connectionTo: (key) => relaysEnd.get(key), enabled: () => true, log: silentLogger, limits })
      const b = new Promise<Connection>(resolve => { bobsEnd = resolve })
      const outcome = await client.dial(bobKey, 'bench')
      if (outcome.kind !== 'connected' || alicesEnd === null) throw new Error(`no relayed connection: ${outcome.kind === 'failed' ? outcome.reason : outcome.kind}`)
      const ends = { a: alicesEnd as Connection, b: await b }
      await established(ends.b)
      opened.push(ends.a, ends.b)
      return ends
    },
    async direct () {
      const link = await tcpConnection(alice, bob, psk)
      closes.push(link.close)
      return link
    },
    async close () {
      service?.stopAll()
      for (const c of opened) c.close(CloseCode.NORMAL)
      for (const close of closes) await close()
    }
  }
}
