// A member whose connection closes with a code and no words of its own is shown leaving for the
// code's reason in plain words, not as a number.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, FAST_TIMINGS, waitUntil } from '../helpers/testnet.ts'
import { HandDrivenPeer } from '../helpers/hand-driven-peer.ts'
import { CloseCode, describeCloseCode } from '../../core/connection/close-codes.ts'
import type { BitChatEvents } from '../../core/api/contract.ts'
import { channelPsk } from '../helpers/channel-psk.ts'

test('a connection closed with a code and no text is reported with the code\'s plain-words reason', async () => {
  const net = await createTestnet()
  try {
    const node = await net.node('node', { timings: FAST_TIMINGS })
    const { channelId, uri } = await node.api['channels.create']({ name: 'reasons', trackers: [] })
    const gone: Array<BitChatEvents['peer.disconnected']> = []
    node.onEvent((event, payload) => { if (event === 'peer.disconnected') gone.push(payload as BitChatEvents['peer.disconnected']) })
    const peer = new HandDrivenPeer(node.listenPort, channelPsk(uri))
    await peer.established
    peer.hello({ name: 'leaver', tcpPort: 0, observedAddress: '127.0.0.1:1' })
    await waitUntil(async () => (await node.api['peers.list']({ channelId })).length === 1, 5_000, 'the peer linked')
    peer.close(CloseCode.OVERLOADED)
    await waitUntil(() => gone.length === 1, 5_000, 'the peer gone')
    assert.equal(gone[0]?.reason, describeCloseCode(CloseCode.OVERLOADED))
    peer.destroy()
  } finally {
    await net.close()
  }
})
