// Setting a proxy while connected: the direct connections made before are closed and made again
// through the proxy, nothing comes in directly any more, and the profile no longer says where we listen.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { proxiesUnavailable, startMicrosocks } from '../helpers/proxies.ts'
import { createTestnet, waitUntil } from '../helpers/testnet.ts'

const skip = proxiesUnavailable() ?? false

test('a proxy set while connected moves the connection onto it, and a direct dial in is refused', { skip }, async t => {
  const net = await createTestnet()
  t.after(() => net.close())
  const proxy = await startMicrosocks()
  t.after(() => proxy.close())
  const alice = net.daemon('alice')
  const bob = net.daemon('bob')
  const { channelId, uri } = await alice.call('channels.create', { name: 'switch', trackers: [net.trackerUrl] })
  await bob.call('channels.join', { uri })
  await waitUntil(async () => (await alice.call('peers.list', { channelId }))[0]?.transport === 'tcp', 20_000, 'a direct connection')

  await alice.call('settings.set', { proxy: proxy.url })
  await waitUntil(async () => (await alice.call('peers.list', { channelId }))[0]?.transport === 'proxy', 30_000, 'the connection to come back through the proxy')
  const [atBob] = await bob.call('peers.list', { channelId })
  assert.equal(atBob?.direction, 'incoming', 'bob was dialled (through the proxy), not let in by alice')
  const { messageId } = await bob.call('messages.send', { channelId, text: 'still here' })
  await waitUntil(async () => (await alice.call('messages.list', { channelId })).some(m => m.messageId === messageId), 15_000, 'the message over the proxied connection')
})
