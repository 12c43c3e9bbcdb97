// identity.lock: every client locked out (calls refused, no events) while the node keeps running and
// storing what arrives; the passphrase opens it again.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { createTestnet, RpcError, waitUntil } from '../helpers/testnet.ts'

describe('locking', () => {
  it('locks every client out until the passphrase, and loses nothing meanwhile', async () => {
    const net = await createTestnet()
    try {
      const [alice, bob] = [net.daemon('alice'), net.daemon('bob')]
      const refused = (code: string) => (err: unknown): boolean => err instanceof RpcError && err.code === code
      await assert.rejects(alice.call('identity.lock', {}), refused('INVALID_PARAMS'), 'no passphrase, no lock')
      await alice.call('identity.setPassphrase', { passphrase: 'open sesame' })
      const { uri, channelId } = await alice.call('channels.create', { name: 'vault', trackers: [net.trackerUrl] })
      await bob.call('channels.join', { uri })
      await alice.waitFor('peer.connected', p => p.channelId === channelId, 15_000)

      assert.deepEqual(await alice.call('identity.lock', {}), { state: 'locked' })
      await alice.waitFor('identity.updated', s => s.state === 'locked')
      assert.deepEqual(await alice.call('identity.status', {}), { state: 'locked' })
      await assert.rejects(alice.call('messages.list', { channelId }), refused('IDENTITY_LOCKED'))
      await assert.rejects(alice.call('contacts.list', {}), refused('IDENTITY_LOCKED'))
      const before = alice.received('message.received').length
      await bob.call('messages.send', { channelId, text: 'while you were locked' })
      await sleep(1_500)
      assert.equal(alice.received('message.received').length, before, 'no event reaches a locked client')

      await assert.rejects(alice.call('identity.unlock', { passphrase: 'wrong' }), refused('WRONG_PASSPHRASE'))
      await alice.call('identity.unlock', { passphrase: 'open sesame' })
      await alice.waitFor('identity.updated', s => s.state === 'ready')
      await waitUntil(async () => (await alice.call('messages.list', { channelId })).some(m => m.text === 'while you were locked'), 5_000, 'the message kept while locked')
    } finally {
      await net.close()
    }
  })
})
