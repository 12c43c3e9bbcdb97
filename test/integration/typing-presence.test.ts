// Typing indicators and presence between real daemons.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, waitUntil } from '../helpers/testnet.ts'

describe('typing and presence', () => {
  it('a member typing shows until it writes; people come online and go offline', async () => {
    const net = await createTestnet()
    try {
      const [alice, bob] = [net.daemon('alice'), net.daemon('bob')]
      const { uri, channelId } = await alice.call('channels.create', { name: 'chatty', trackers: [net.trackerUrl] })
      await bob.call('channels.join', { uri })
      const bobKey = (await bob.call('identity.get', {})).publicKey
      await alice.waitFor('presence', p => p.publicKey === bobKey && p.online, 15_000)
      await alice.waitFor('peer.connected', p => p.channelId === channelId, 15_000)

      await bob.call('messages.typing', { channelId, typing: true })
      await alice.waitFor('typing', e => e.channelId === channelId && e.publicKey === bobKey && e.typing, 5_000)
      await bob.call('messages.send', { channelId, text: 'there' })
      await alice.waitFor('typing', e => e.publicKey === bobKey && !e.typing, 5_000)
      await bob.call('messages.typing', { channelId, typing: true })
      await waitUntil(() => alice.received('typing').filter(e => e.typing).length === 2, 5_000, 'typing again')
      await bob.call('messages.typing', { channelId, typing: false })
      await waitUntil(() => alice.received('typing').filter(e => !e.typing).length === 2, 5_000, 'stopped')
      assert.deepEqual(alice.received('typing').map(e => e.typing), [true, false, true, false])

      const before = Date.now()
      await bob.stop()
      const gone = await alice.waitFor('presence', p => p.publicKey === bobKey && !p.online, 10_000)
      assert.ok(gone.lastSeen >= before)
    } finally {
      await net.close()
    }
  })
})
