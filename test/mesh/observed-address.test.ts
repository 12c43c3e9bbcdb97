import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, FAST_TIMINGS, waitUntil } from '../helpers/testnet.ts'
import { HandDrivenPeer } from '../helpers/hand-driven-peer.ts'
import { channelPsk } from '../helpers/channel-psk.ts'

test('an observed address a host could not have is not taken for ours', async () => {
  const testnet = await createTestnet()
  try {
    const node = await testnet.node('node', { timings: FAST_TIMINGS })
    const { channelId, uri } = await node.api['channels.create']({ name: 'mirrors', trackers: [] })
    const psk = channelPsk(uri)
    for (const [i, observedAddress] of ['0.0.0.0:4000', '224.0.0.1:4000', '[ff02::1]:4000', '198.51.100.7:4000'].entries()) {
      const peer = new HandDrivenPeer(node.listenPort, psk, undefined, `127.0.0.${10 + i}`)
      await peer.established
      peer.hello({ name: `mirror ${i}`, tcpPort: 0, observedAddress })
    }
    await waitUntil(async () => (await node.api['peers.list']({ channelId })).length === 4, 5_000, 'four members')
    assert.deepEqual((await node.api['network.status']({})).observedAddresses, ['198.51.100.7:4000'])
  } finally {
    await testnet.close()
  }
})
