// Two members who join a channel at the same moment, through a real loopback DHT in which some
// nodes have died: they must meet, although neither can have announced before the other first looked.
// How fast is the bench's business (it prints the time here too, for the log).
import { after, before, test } from 'node:test'
import type { TestContext } from 'node:test'
import { performance } from 'node:perf_hooks'
import type DHT from 'bittorrent-dht'
import { createTestnet, waitUntil, type Testnet } from '../helpers/testnet.ts'
import { startLoopbackDht, type LoopbackDht } from '../helpers/loopback-dht.ts'
import type { BitChatNode } from '../../core/node/node.ts'

const DHT_SIZE = 20
const DEAD = 6
const TIMEOUT_MS = 30_000

let net: Testnet
before(async () => { net = await createTestnet({ trackerInterval: 60_000 }) })
after(async () => { await net.close() })

async function loopbackDht (t: TestContext): Promise<LoopbackDht> {
  const dht = await startLoopbackDht(DHT_SIZE, { distinctHosts: true })
  t.after(() => dht.close())
  return dht
}

/** Destroys `count` nodes other than the bootstrap one: they stop answering, whoever still names them. */
async function kill (dht: LoopbackDht, count: number): Promise<void> {
  const victims: DHT[] = dht.nodes.slice(1).sort(() => Math.random() - 0.5).slice(0, count)
  await Promise.all(victims.map(async node => { await new Promise<void>(resolve => { node.destroy(resolve) }) }))
}

/** `a` creates a channel and `b` joins it at once; both must end up linked to each other. */
async function joinTogether (t: TestContext, a: BitChatNode, b: BitChatNode, name: string): Promise<void> {
  const started = performance.now()
  const { uri, channelId } = await a.api['channels.create']({ name, trackers: [] })
  await b.api['channels.join']({ uri })
  await waitUntil(async () => (await a.api['peers.list']({ channelId })).length === 1 && (await b.api['peers.list']({ channelId })).length === 1, TIMEOUT_MS, 'the two members to meet through the DHT')
  t.diagnostic(`linked ${Math.round(performance.now() - started)} ms after joining`)
  const sources = (await b.api['peers.list']({ channelId }))[0]?.sources ?? []
  const other = (await a.api['peers.list']({ channelId }))[0]?.sources ?? []
  if (!sources.includes('dht') && !other.includes('dht')) throw new Error(`met, but not through the DHT: ${JSON.stringify([sources, other])}`)
}

test('two members joining at once meet through the DHT after some of its nodes died while in their routing tables', async (t) => {
  const dht = await loopbackDht(t)
  const discovery = { dht: { bootstrap: [dht.bootstrap] } }
  const a = await net.node('a', discovery)
  const b = await net.node('b', discovery)
  // Every DHT node in both routing tables before some of them go.
  await waitUntil(async () => (await a.api['network.status']({})).dht.nodes >= DHT_SIZE && (await b.api['network.status']({})).dht.nodes >= DHT_SIZE, TIMEOUT_MS, 'full routing tables')
  await kill(dht, DEAD)
  await joinTogether(t, a, b, 'dead nodes in the table')
})

test('two members starting and joining at once meet through a DHT that still names nodes that died', async (t) => {
  const dht = await loopbackDht(t)
  await kill(dht, DEAD)
  const discovery = { dht: { bootstrap: [dht.bootstrap] } }
  const a = await net.node('fresh-a', discovery)
  const b = await net.node('fresh-b', discovery)
  await joinTogether(t, a, b, 'dead nodes named')
})
