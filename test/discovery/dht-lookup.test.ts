// DhtLookup on a scripted KRPC layer and a manual clock: what it asks, when it settles and whom it
// announces to, with nodes that answer, stay silent or lie. The real DHT is in dht.test.ts and
// test/integration/dht-join.test.ts.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { DhtLookup, type LookupQuery, type LookupReply, type LookupRpc } from '../../core/discovery/dht-lookup.ts'
import { DhtNodeHealth } from '../../core/discovery/node-health.ts'
import { ManualClock } from '../helpers/manual-clock.ts'

const TARGET = new Uint8Array(20)
const OWN_ID = new Uint8Array(20).fill(0xff)
/** The node at distance `d` from TARGET. */
const idAt = (d: number): Uint8Array => { const id = new Uint8Array(20); id[18] = d >> 8; id[19] = d & 255; return id }
const hostOf = (d: number): string => `10.0.${d >> 8}.${d & 255}`
const compactNodes = (ds: number[]): Uint8Array => Buffer.concat(ds.map(d => Buffer.concat([idAt(d), Buffer.from([10, 0, d >> 8, d & 255, 0x1a, 0xe1])])))
const compactPeer = (host: string, port: number): Uint8Array => Buffer.from([...host.split('.').map(Number), port >> 8, port & 255])

type Behaviour = 'answers' | 'silent'
interface Sent { d: number; q: LookupQuery['q']; cancelled: boolean }

/**
 * A DHT where node `d` listens at 10.0.x.y:6881 with id idAt(d). Nodes answer (on a microtask, as
 * k-rpc-socket does on a datagram) unless silent; a silent node's query ends only by cancel.
 */
class ScriptedDht implements LookupRpc {
  readonly id = OWN_ID
  readonly sent: Sent[] = []
  readonly forgotten: number[] = []
  table: number[] = []
  routerList: Array<{ host: string; port: number }> = []
  behaviour = new Map<number, Behaviour>()
  /** What a node answers to get_peers besides its id and token. */
  holds = new Map<number, { values?: Uint8Array[]; nodes?: Uint8Array }>()
  /** Called as a node takes an announce. */
  onAnnounce: (d: number) => void = () => {}

  closest (_target: Uint8Array, n: number): Array<{ host: string; port: number; id: Uint8Array }> {
    return [...this.table].sort((a, b) => a - b).slice(0, n).map(d => ({ host: hostOf(d), port: 6881, id: idAt(d) }))
  }

  routers (): Array<{ host: string; port: number }> { return this.routerList }

  query (node: { host: string; port: number }, message: LookupQuery, cb: (err: Error | null, reply: LookupReply | null) => void): () => void {
    const [, , x, y] = node.host.split('.').map(Number)
    const d = (x! << 8) | y!
    const sent: Sent = { d, q: message.q, cancelled: false }
    this.sent.push(sent)
    let open = true
    if (this.behaviour.get(d) !== 'silent') {
      queueMicrotask(() => {
        if (!open) return
        open = false
        if (message.q === 'announce_peer') this.onAnnounce(d)
        cb(null, { r: { id: Buffer.from(idAt(d)), token: Buffer.from('tok'), ...(message.q === 'get_peers' ? this.holds.get(d) : {}) } })
      })
    }
    return () => {
      if (!open) return
      open = false
      sent.cancelled = true
      cb(Object.assign(new Error('Query timed out'), { code: 'ETIMEDOUT' }), null)
    }
  }

  forget (id: Uint8Array): void { this.forgotten.push((id[18]! << 8) | id[19]!) }

  asked (q: LookupQuery['q']): number[] { return this.sent.filter(s => s.q === q).map(s => s.d) }
}

function lookup (rpc: ScriptedDht, clock: ManualClock, o: { health?: DhtNodeHealth; lookAgain?: () => boolean } = {}): { lookup: DhtLookup; peers: string[]; events: string[] } {
  const l = new DhtLookup({ rpc, infohash: TARGET, port: 6881, health: o.health ?? new DhtNodeHealth(clock), clock, lookAgain: o.lookAgain ?? (() => false) })
  const peers: string[] = []
  const events: string[] = []
  l.on('peer', p => { peers.push(`${p.host}:${p.port}`) })
  l.on('settled', n => { events.push(`settled ${n}`) })
  l.on('announced', n => { events.push(`announced ${n}`) })
  return { lookup: l, peers, events }
}

/** Lets the microtasks run out: every answer given, and whatever it led to. */
const settle = async (turns = 20): Promise<void> => { for (let i = 0; i < turns; i++) await Promise.resolve() }
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i)

test('a lookup announces to the 8 closest nodes that answered, once they have', async () => {
  const clock = new ManualClock()
  const rpc = new ScriptedDht()
  rpc.table = range(1, 12)
  const { lookup: l, events } = lookup(rpc, clock)
  l.start()
  await settle()
  assert.deepEqual(events, ['settled 8', 'announced 8'])
  assert.deepEqual(rpc.asked('announce_peer').sort((a, b) => a - b), range(1, 8))
})

test('a silent node among the closest holds the announce back only until it is slow, not for its whole timeout', async () => {
  const clock = new ManualClock()
  const health = new DhtNodeHealth(clock)
  const rpc = new ScriptedDht()
  rpc.table = range(1, 12)
  rpc.behaviour.set(1, 'silent')
  const { lookup: l, events } = lookup(rpc, clock, { health })
  l.start()
  await settle()
  assert.deepEqual(events, [], 'a young query to the closest node is waited for')
  clock.advance(health.slowAfterMs)
  await settle()
  assert.deepEqual(events, ['settled 8', 'announced 8'])
  assert.deepEqual(rpc.asked('announce_peer').sort((a, b) => a - b), range(2, 9))
  assert.equal(rpc.sent.find(s => s.d === 1)?.cancelled, false, 'the silent node may still answer late')
})

test('a node that failed lately is asked, but not waited for, and its query is given up after slowAfterMs', async () => {
  const clock = new ManualClock()
  const health = new DhtNodeHealth(clock)
  health.failed(`${hostOf(1)}:6881`)
  const rpc = new ScriptedDht()
  rpc.table = range(1, 12)
  rpc.behaviour.set(1, 'silent')
  const { lookup: l, events } = lookup(rpc, clock, { health })
  const givenMs = health.slowAfterMs
  l.start()
  await settle()
  assert.deepEqual(events, ['settled 8', 'announced 8'])
  assert.ok(rpc.asked('get_peers').includes(1))
  assert.equal(rpc.sent.find(s => s.d === 1)?.cancelled, false)
  clock.advance(givenMs)
  assert.equal(rpc.sent.find(s => s.d === 1)?.cancelled, true)
  assert.deepEqual(rpc.forgotten, [1], 'dropped from the routing table')
  assert.equal(health.suspect(`${hostOf(1)}:6881`), true)
})

test('nodes named in answers are walked toward the infohash', async () => {
  const clock = new ManualClock()
  const rpc = new ScriptedDht()
  rpc.table = range(20, 29)
  rpc.holds.set(20, { nodes: compactNodes(range(1, 8)) })
  const { lookup: l, events } = lookup(rpc, clock)
  l.start()
  await settle()
  assert.deepEqual(events, ['settled 8', 'announced 8'])
  assert.deepEqual(rpc.asked('announce_peer').sort((a, b) => a - b), range(1, 8))
})

test('with a thin routing table the walk starts from the routers', async () => {
  const clock = new ManualClock()
  const rpc = new ScriptedDht()
  rpc.routerList = [{ host: hostOf(50), port: 6881 }]
  rpc.holds.set(50, { nodes: compactNodes([1, 2, 3]) })
  const { lookup: l, events } = lookup(rpc, clock)
  l.start()
  await settle()
  assert.deepEqual(rpc.asked('get_peers').sort((a, b) => a - b), [1, 2, 3, 50])
  assert.deepEqual(events, ['settled 4', 'announced 4'])
})

test('peers held by the nodes are reported as their answers come', async () => {
  const clock = new ManualClock()
  const rpc = new ScriptedDht()
  rpc.table = range(1, 3)
  rpc.holds.set(2, { values: [compactPeer('192.0.2.7', 4000), Buffer.from('junk'), compactPeer('192.0.2.8', 4001)] })
  const { lookup: l, peers } = lookup(rpc, clock)
  l.start()
  await settle()
  assert.deepEqual(peers, ['192.0.2.7:4000', '192.0.2.8:4001'])
})

test('while lookAgain() says so, each node that took the announce is asked again, and finds who announced there meanwhile', async () => {
  const clock = new ManualClock()
  const rpc = new ScriptedDht()
  rpc.table = range(1, 8)
  // A member joining at the same moment announced to node 3 just after our first question there.
  rpc.onAnnounce = (d) => { if (d === 3) rpc.holds.set(3, { values: [compactPeer('192.0.2.9', 5000)] }) }
  const { lookup: l, peers } = lookup(rpc, clock, { lookAgain: () => true })
  l.start()
  await settle()
  assert.deepEqual(peers, ['192.0.2.9:5000'])
  assert.equal(rpc.asked('get_peers').length, 16, 'each of the 8 asked twice')
})

test('once lookAgain() says no, nobody is asked again', async () => {
  const clock = new ManualClock()
  const rpc = new ScriptedDht()
  rpc.table = range(1, 8)
  const { lookup: l } = lookup(rpc, clock, { lookAgain: () => false })
  l.start()
  await settle()
  assert.equal(rpc.asked('get_peers').length, 8)
})

test('nodes naming ever closer nodes cannot make one walk ask more than 64', async () => {
  const clock = new ManualClock()
  const rpc = new ScriptedDht()
  rpc.table = [1000]
  for (const d of range(2, 1000)) rpc.holds.set(d, { nodes: compactNodes(range(Math.max(1, d - 8), d - 1)) })
  const { lookup: l, events } = lookup(rpc, clock)
  l.start()
  await settle(2_000)
  assert.equal(rpc.asked('get_peers').length, 64)
  assert.deepEqual(events, ['settled 8', 'announced 8'])
})

test('stop() cancels every query in flight and every timer, and nothing is reported after it', async () => {
  const clock = new ManualClock()
  const health = new DhtNodeHealth(clock)
  health.failed(`${hostOf(1)}:6881`)
  const rpc = new ScriptedDht()
  rpc.table = range(1, 4)
  for (const d of range(1, 4)) rpc.behaviour.set(d, 'silent')
  const { lookup: l, events } = lookup(rpc, clock, { health })
  l.start()
  assert.ok(clock.pending > 0)
  l.stop()
  assert.ok(rpc.sent.every(s => s.cancelled))
  assert.equal(clock.pending, 0)
  clock.advance(10_000)
  await settle()
  assert.deepEqual(events, [])
})
