import { test } from 'node:test'
import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import { once } from 'node:events'
import { randomBytes } from 'node:crypto'
import { createTestnet, waitUntil } from '../helpers/testnet.ts'
import { floodUdp, type FloodKind } from '../helpers/udp-flooder.ts'
import { loopbackHosts } from '../helpers/connection-holder.ts'
import { MIB, residentBytes } from '../helpers/proc.ts'
import { decode, encode, type BDict } from '../../core/codec/bencode.ts'
import { KRPC_RATE } from '../../core/discovery/krpc-socket.ts'

const DATAGRAMS = 300_000
const KINDS: FloodKind[] = ['garbage', 'ping', 'find_node', 'get_peers', 'announce_peer', 'stuffed_reply', 'bulky_query', 'bulky_dict']
// Node allocates every received datagram before we can drop it; V8 collects such memory about every
// 64 MiB, so a flood of 60 KB datagrams lifts RSS by that much for as long as it lasts, and no more.
const MAX_GROWTH = 128 * MIB

async function dhtPing (port: number): Promise<BDict> {
  const socket = dgram.createSocket('udp4')
  socket.bind(0, '127.0.0.9')
  await once(socket, 'listening')
  try {
    socket.send(encode({ t: Buffer.from('pp'), y: Buffer.from('q'), q: Buffer.from('ping'), a: { id: randomBytes(20) } }), port, '127.0.0.1')
    const [reply] = await once(socket, 'message', { signal: AbortSignal.timeout(5_000) }) as [Buffer]
    return decode(reply) as BDict
  } finally {
    socket.close()
  }
}

test('a daemon flooded at its DHT port by 256 addresses keeps its memory bounded, answers only at its rates, and keeps working', async (t) => {
  const testnet = await createTestnet()
  try {
    const target = testnet.daemon('target', { discovery: ['--no-lan', '--dht-bootstrap', ''], logLevel: 'info' })
    const member = testnet.daemon('member', { logLevel: 'info' })
    const { uri, channelId } = await target.call('channels.create', { name: 'stormy', trackers: [testnet.trackerUrl] })
    await member.call('channels.join', { uri })
    await waitUntil(async () => (await target.call('peers.list', { channelId })).length === 1, 15_000, 'the member to connect')
    const { listenPort } = await target.call('network.status', {})
    const baseline = residentBytes(target.pid)
    let peak = baseline
    const sampler = setInterval(() => { peak = Math.max(peak, residentBytes(target.pid)) }, 100)
    const started = Date.now()
    let answers: number
    try {
      answers = (await floodUdp({ port: listenPort, from: loopbackHosts(256, 60), total: DATAGRAMS, kinds: KINDS })).answers
    } finally {
      clearInterval(sampler)
    }
    const seconds = (Date.now() - started) / 1_000
    t.diagnostic(`${DATAGRAMS} datagrams in ${seconds.toFixed(1)} s: ${answers} answered; RSS ${(baseline / MIB).toFixed(0)} MiB before, ${(peak / MIB).toFixed(0)} MiB at most`)
    assert.ok(peak - baseline < MAX_GROWTH, `RSS grew by ${((peak - baseline) / MIB).toFixed(0)} MiB`)
    assert.ok(answers <= KRPC_RATE.total.burst + KRPC_RATE.total.ratePerSecond * seconds, `${answers} answers in ${seconds.toFixed(1)} s`)

    const pong = await dhtPing(listenPort)
    assert.ok(pong.r !== undefined, 'the DHT still answers')
    await member.call('messages.send', { channelId, text: 'after the storm' })
    await target.waitFor('message.received', m => m.text === 'after the storm', 10_000)
  } finally {
    await testnet.close()
  }
})
