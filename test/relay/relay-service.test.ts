// A relay between two members, built from the real pieces over in-memory streams (no sockets): the
// circuit, what the relay sees and what it can do to the bytes, and every limit it keeps.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { duplexPair } from '../helpers/duplex-pair.ts'
import { ManualClock } from '../helpers/manual-clock.ts'
import { nextEvent } from '../helpers/wait.ts'
import { FAST_TIMINGS, waitUntil } from '../helpers/testnet.ts'
import { Connection } from '../../core/connection/connection.ts'
import { CloseCode } from '../../core/connection/close-codes.ts'
import type { CloseInfo, Stream } from '../../core/connection/mux-stream.ts'
import { generateIdentity, type Identity } from '../../core/identity/identity.ts'
import { toHex } from '../../core/codec/hex.ts'
import { silentLogger } from '../../core/log.ts'
import { RelayService } from '../../core/relay/relay-service.ts'
import { RelayAcceptor } from '../../core/relay/relay-acceptor.ts'
import { RELAY_LIMITS, type RelayLimits } from '../../core/relay/relay-limits.ts'
import { RELAY_PROTOCOL, RELAY_WINDOW } from '../../core/relay/relay-protocol.ts'
import { RelayedStream } from '../../core/transport/relayed.ts'

const psk = new Uint8Array(32).fill(3)
const [alice, relay, bob, carol] = [generateIdentity(), generateIdentity(), generateIdentity(), generateIdentity()]
const keyOf = (id: Identity): string => toHex(id.publicKey)
const streamOptions = { window: RELAY_WINDOW, manualCredit: true }
const SECRET = 'meet me at the old mill at noon'

/** A connection from `dialler` to the relay, both ends established. */
async function linkToRelay (dialler: Identity): Promise<{ theirs: Connection; relays: Connection }> {
  const [x, y] = duplexPair()
  const theirs = new Connection({ stream: x, initiator: true, identity: dialler, psks: [psk], log: silentLogger, timings: FAST_TIMINGS })
  const relays = new Connection({ stream: y, initiator: false, identity: relay, psks: [psk], log: silentLogger, timings: FAST_TIMINGS })
  await Promise.all([nextEvent(theirs, 'established'), nextEvent(relays, 'established')])
  return { theirs, relays }
}

interface Net {
  service: RelayService
  clock: ManualClock
  alice: Connection
  bob: Connection
  carol: Connection
  enabled: { on: boolean }
}

/** Alice, Bob and Carol each connected to the relay; Bob answers relayed streams with `onRelayed`. */
async function relayNet (opts: { limits?: Partial<RelayLimits>; onRelayed?: (via: Connection, stream: Stream) => void } = {}): Promise<Net> {
  const [a, b, c] = await Promise.all([linkToRelay(alice), linkToRelay(bob), linkToRelay(carol)])
  const clock = new ManualClock()
  const enabled = { on: true }
  const byKey = new Map([[keyOf(alice), a.relays], [keyOf(bob), b.relays], [keyOf(carol), c.relays]])
  const service = new RelayService({ connectionTo: (k) => byKey.get(k), enabled: () => enabled.on, log: silentLogger, clock, limits: { ...RELAY_LIMITS, ...opts.limits } })
  for (const { relays } of [a, b, c]) relays.on('stream', (s) => { service.handle(relays, s) })
  b.theirs.on('stream', (s) => { opts.onRelayed?.(b.theirs, s) })
  return { service, clock, alice: a.theirs, bob: b.theirs, carol: c.theirs, enabled }
}

/** Alice asks the relay for `target`; resolves with her open stream, or the code it was refused with. */
async function ask (from: Connection, target: Identity): Promise<Stream | CloseInfo> {
  const stream = from.open(RELAY_PROTOCOL, target.publicKey, streamOptions)
  return await new Promise(resolve => {
    stream.once('open', () => { resolve(stream) })
    stream.once('close', (info) => { resolve(info) })
  })
}

function isStream (x: Stream | CloseInfo): x is Stream {
  return 'protocol' in x
}

/** Bob takes relayed streams as a node does: an acceptor answering each with the responder's handshake. */
function bobAccepts (ends: Connection[]): (via: Connection, stream: Stream) => void {
  const acceptor = new RelayAcceptor({
    ownKeyHex: keyOf(bob),
    isBlocked: () => false,
    connectedDirectly: () => false,
    respond: (stream) => {
      const end = new Connection({ stream, initiator: false, identity: bob, psks: [psk], log: silentLogger, timings: FAST_TIMINGS })
      ends.push(end)
      return end
    },
    log: silentLogger
  })
  return (via, stream) => { acceptor.handle(via, stream) }
}

/** A Noise connection from Alice to Bob through the relay; both ends once established. */
async function circuit (net: Net, bobEnds: Connection[]): Promise<{ a: Connection; b: Connection }> {
  const stream = await ask(net.alice, bob)
  assert.ok(isStream(stream), 'the relay joined us')
  const a = new Connection({ stream: new RelayedStream(stream, { via: keyOf(relay), remote: { host: 'relay', port: 1 } }), initiator: true, identity: alice, psks: [psk], expectedRemote: bob.publicKey, log: silentLogger, timings: FAST_TIMINGS })
  await nextEvent(a, 'established')
  const b = await waitUntil(() => bobEnds.find(e => e.established), 5_000, 'bob\'s end')
  return { a, b }
}

test('through a relay the two ends run their own Noise connection: the relay passes only ciphertext, and sees which two keys it joins', async () => {
  const ends: Connection[] = []
  const net = await relayNet({ onRelayed: bobAccepts(ends) })
  const seen: Uint8Array[] = []
  net.service.inspect = (message) => {
    seen.push(message.slice())
    return message
  }
  const { a, b } = await circuit(net, ends)
  assert.equal(a.transport, 'relay')
  assert.equal(a.via, keyOf(relay))
  assert.equal(a.remoteKeyHex, keyOf(bob))
  assert.equal(b.remoteKeyHex, keyOf(alice))
  assert.deepEqual(net.service.circuits.map(c => [c.from, c.to]), [[keyOf(alice), keyOf(bob)]])

  const incoming = nextEvent(b, 'stream')
  const out = a.open('test/chat/1', new Uint8Array(32))
  const [theirs] = await incoming
  b.accept(theirs)
  const got = new Promise<Uint8Array>(resolve => theirs.once('message', (m: Uint8Array) => { resolve(m.slice()) }))
  out.send(Uint8Array.from([0x01, ...Buffer.from(SECRET)]))
  assert.equal(Buffer.from((await got).subarray(1)).toString(), SECRET)

  const carried = Buffer.concat(seen)
  assert.ok(carried.length > 0 && net.service.bytesRelayed === carried.length)
  assert.equal(carried.indexOf(Buffer.from(SECRET)), -1, 'the plaintext never passed the relay')
  assert.equal(carried.indexOf(Buffer.from(SECRET.slice(0, 8))), -1)
  assert.ok(net.service.circuits[0]!.bytes === carried.length)
})

test('a relay that alters a byte breaks the connection: nothing altered is delivered', async () => {
  const ends: Connection[] = []
  const net = await relayNet({ onRelayed: bobAccepts(ends) })
  let tamper = false
  net.service.inspect = (message, direction) => {
    if (!tamper || direction !== 'forward') return message
    message[message.length - 1]! ^= 0x01
    return message
  }
  const { a, b } = await circuit(net, ends)
  const incoming = nextEvent(b, 'stream')
  const out = a.open('test/chat/1', new Uint8Array(32))
  const [theirs] = await incoming
  b.accept(theirs)
  const delivered: string[] = []
  theirs.on('message', (m: Uint8Array) => { delivered.push(Buffer.from(m.subarray(1)).toString()) })
  tamper = true
  const closed = nextEvent(b, 'close')
  out.send(Uint8Array.from([0x01, ...Buffer.from(SECRET)]))
  const [info] = await closed
  assert.equal(info.code, CloseCode.PROTOCOL_ERROR)
  assert.deepEqual(delivered, [])
  await waitUntil(() => a.closed, 5_000, 'alice\'s end to go too')
  await waitUntil(() => net.service.circuits.length === 0, 5_000, 'the circuit to end')
})

test('refusals carry codes: relaying off, target not connected, too many circuits per peer and in all', async () => {
  const net = await relayNet({ limits: { circuitsPerPeer: 2, circuits: 3 } })
  net.enabled.on = false
  assert.equal((await ask(net.alice, bob) as CloseInfo).code, CloseCode.RELAY_REFUSED)
  net.enabled.on = true
  const stranger = generateIdentity()
  assert.equal((await ask(net.alice, stranger) as CloseInfo).code, CloseCode.UNREACHABLE)
  assert.equal((await ask(net.alice, alice) as CloseInfo).code, CloseCode.UNREACHABLE, 'not to oneself')
  // Bob does not answer: the circuits wait for him, and count.
  const waiting = [ask(net.alice, bob), ask(net.alice, bob)]
  await waitUntil(() => net.service.circuits.length === 2, 5_000, 'two circuits waiting')
  assert.equal((await ask(net.alice, bob) as CloseInfo).code, CloseCode.TOO_MANY_CIRCUITS, 'per peer')
  const carols = ask(net.carol, bob)
  await waitUntil(() => net.service.circuits.length === 3, 5_000, 'three circuits')
  assert.equal((await ask(net.carol, alice) as CloseInfo).code, CloseCode.TOO_MANY_CIRCUITS, 'in all')
  // Unanswered, they end at the answer deadline.
  net.clock.advance(RELAY_LIMITS.answerMs)
  for (const outcome of await Promise.all([...waiting, carols])) assert.equal((outcome as CloseInfo).code, CloseCode.TIMED_OUT)
  assert.equal(net.service.circuits.length, 0)
})

test('the reached side\'s refusal goes back to the asker with its code; turning relaying off ends running circuits', async () => {
  const refusing = await relayNet({ onRelayed: (via, stream) => { via.reset(stream, CloseCode.OVERLOADED, 'busy') } })
  assert.equal((await ask(refusing.alice, bob) as CloseInfo).code, CloseCode.OVERLOADED)
  assert.equal(refusing.service.circuits.length, 0)

  const ends: Connection[] = []
  const net = await relayNet({ onRelayed: bobAccepts(ends) })
  const { a, b } = await circuit(net, ends)
  net.enabled.on = false
  net.service.stopAll()
  await Promise.all([nextEvent(a, 'close'), nextEvent(b, 'close')])
  assert.equal(net.service.circuits.length, 0)
})

test('a circuit ends when its lifetime is over', async () => {
  const ends: Connection[] = []
  const net = await relayNet({ onRelayed: bobAccepts(ends) })
  const { a, b } = await circuit(net, ends)
  net.clock.advance(RELAY_LIMITS.lifetimeMs - 1)
  assert.equal(net.service.circuits.length, 1)
  const closed = Promise.all([nextEvent(a, 'close'), nextEvent(b, 'close')])
  net.clock.advance(1)
  await closed
  assert.equal(net.service.circuits.length, 0)
})

/** A circuit with raw relayed streams at both ends (no Noise), to count bytes. */
async function rawCircuit (limits: Partial<RelayLimits>): Promise<{ net: Net; from: RelayedStream; received: () => number }> {
  let to: RelayedStream | null = null
  let received = 0
  const net = await relayNet({
    limits,
    onRelayed: (via, stream) => {
      via.accept(stream, streamOptions)
      to = new RelayedStream(stream, { via: keyOf(relay), remote: { host: 'relay', port: 1 } })
      to.on('data', (chunk) => { received += chunk.length })
    }
  })
  const stream = await ask(net.alice, bob)
  assert.ok(isStream(stream))
  await waitUntil(() => to !== null, 5_000, 'bob\'s end')
  return { net, from: new RelayedStream(stream, { via: keyOf(relay), remote: { host: 'relay', port: 1 } }), received: () => received }
}

test('a circuit over its rate gets its credit back only as the clock allows: the sender waits, the relay holds a window', async () => {
  const rate = 100_000
  const { net, from, received } = await rawCircuit({ bytesPerSecondPerCircuit: rate })
  for (let i = 0; i < 20; i++) from.write([new Uint8Array(50_000).fill(i)])
  // A second's burst, then what the window lets through before the relay stops giving credit back.
  await waitUntil(() => received() >= rate, 5_000, 'the burst')
  await new Promise(resolve => setTimeout(resolve, 200))
  const held = received()
  assert.ok(held <= rate + 2 * RELAY_WINDOW, `${held} bytes through while over the rate`)
  assert.ok(from.bufferedBytes > 0, 'the rest waits at the sender')
  for (let s = 1; received() < 1_000_000; s++) {
    assert.ok(s < 20, 'every byte arrives as time passes')
    net.clock.advance(1_000)
    await waitUntil(() => received() >= Math.min(1_000_000, held + s * rate - 2 * RELAY_WINDOW), 5_000, `second ${s}`)
  }
  assert.equal(received(), 1_000_000)
})

test('the total rate holds every circuit together', async () => {
  const rate = 80_000
  const { net, from, received } = await rawCircuit({ bytesPerSecond: rate })
  for (let i = 0; i < 10; i++) from.write([new Uint8Array(50_000).fill(i)])
  await waitUntil(() => received() >= rate, 5_000, 'the burst')
  await new Promise(resolve => setTimeout(resolve, 200))
  const held = received()
  assert.ok(held <= rate + 2 * RELAY_WINDOW)
  for (let s = 1; received() < 500_000; s++) {
    assert.ok(s < 20, 'every byte arrives as time passes')
    net.clock.advance(1_000)
    await waitUntil(() => received() >= Math.min(500_000, held + s * rate - 2 * RELAY_WINDOW), 5_000, `second ${s}`)
  }
})

test('the reached side refuses blocked keys silently, a key it holds a direct connection to, and more handshakes than its bound', async () => {
  const blocked = new Set<string>()
  const direct = new Set<string>()
  const ends: Connection[] = []
  const acceptor = new RelayAcceptor({
    ownKeyHex: keyOf(bob),
    isBlocked: (k) => blocked.has(k),
    connectedDirectly: (k) => direct.has(k),
    respond: (stream) => {
      const end = new Connection({ stream, initiator: false, identity: bob, psks: [psk], log: silentLogger, timings: FAST_TIMINGS })
      ends.push(end)
      return end
    },
    log: silentLogger,
    limits: { pendingPerRelay: 1, pending: 1 }
  })
  const net = await relayNet({ onRelayed: (via, stream) => { acceptor.handle(via, stream) } })
  blocked.add(keyOf(alice))
  assert.equal((await ask(net.alice, bob) as CloseInfo).code, CloseCode.NORMAL)
  blocked.clear()
  direct.add(keyOf(alice))
  assert.equal((await ask(net.alice, bob) as CloseInfo).code, CloseCode.DUPLICATE)
  direct.clear()
  // Alice's circuit opens and she says nothing: her handshake is pending at Bob, and Carol's waits its turn.
  assert.ok(isStream(await ask(net.alice, bob)))
  assert.equal((await ask(net.carol, bob) as CloseInfo).code, CloseCode.OVERLOADED)
  assert.equal(ends.length, 1)
})
