import { test } from 'node:test'
import assert from 'node:assert/strict'
import { OutboundBudget } from '../../core/mesh/connection-budget.ts'
import { DEFAULT_TIMINGS } from '../../core/connection/connection.ts'
import { createTestnet, waitUntil } from '../helpers/testnet.ts'
import { startTarpits } from '../helpers/tarpit.ts'
import { loneSwarm, type LoneSwarm } from '../helpers/lone-swarm.ts'
import type { PeerSource } from '../../core/mesh/peer-record.ts'
import { channelPsk } from '../helpers/channel-psk.ts'

function swarmFor (psk: Uint8Array, outbound?: OutboundBudget): LoneSwarm {
  return loneSwarm({ psk, outbound, timings: DEFAULT_TIMINGS })
}

for (const source of ['pex', 'tracker', 'lan'] satisfies PeerSource[]) {
  test(`200 silent tarpits learnt by ${source} before a real member do not keep it from being dialled`, async () => {
    const testnet = await createTestnet()
    const tarpits = await startTarpits(200, '127.0.0.2')
    const member = await testnet.node('member')
    const { uri } = await member.api['channels.create']({ name: 'tarpitted', trackers: [] })
    const memberKey = (await member.api['identity.get']({})).publicKey
    const lone = swarmFor(channelPsk(uri))
    const { swarm } = lone
    try {
      for (const port of tarpits.ports) swarm.addCandidate(tarpits.host, port, source)
      swarm.addCandidate('127.0.0.1', member.listenPort, source)
      await waitUntil(() => swarm.links.some(l => l.publicKeyHex === memberKey), 10_000, 'a link to the member')
      assert.ok(swarm.addresses().filter(r => r.address.startsWith(`${tarpits.host}:`)).length <= 32, 'one host keeps a bounded share of the address book')
    } finally {
      await lone.close()
      await testnet.close()
      await tarpits.close()
    }
  })
}

test('a dial to a tarpit gives up at the first-message deadline, not the whole handshake timeout', async () => {
  const tarpits = await startTarpits(1, '127.0.0.2')
  const lone = swarmFor(new Uint8Array(32))
  const { swarm } = lone
  try {
    swarm.addCandidate(tarpits.host, tarpits.ports[0]!, 'pex')
    await waitUntil(() => tarpits.accepted() === 1, 5_000, 'the dial')
    const started = Date.now()
    await waitUntil(() => swarm.addresses()[0]?.status === 'backoff', DEFAULT_TIMINGS.handshakeTimeoutMs, 'the dial to be given up')
    assert.ok(Date.now() - started < DEFAULT_TIMINGS.handshakeTimeoutMs - 1_000)
  } finally {
    await lone.close()
    await tarpits.close()
  }
})

test('dialling stops at the node-wide outbound budget and resumes when a connection ends', async () => {
  const tarpits = await startTarpits(6, '127.0.0.2')
  const budget = new OutboundBudget(3)
  const swarms = [swarmFor(new Uint8Array(32), budget), swarmFor(new Uint8Array(32), budget)]
  try {
    for (const { swarm } of swarms) for (const port of tarpits.ports) swarm.addCandidate(tarpits.host, port, 'tracker')
    await waitUntil(() => tarpits.accepted() >= 3, 5_000, 'the first dials')
    assert.equal(budget.used, 3)
    await waitUntil(() => tarpits.accepted() >= 6, 10_000, 'more dials once the first are given up')
    assert.ok(budget.used <= 3)
  } finally {
    for (const lone of swarms) await lone.close()
    await tarpits.close()
  }
})
