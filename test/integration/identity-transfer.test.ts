// An identity taken to another machine: exported with its address book from one daemon, imported
// into a fresh data folder by another, which then is the same person to everyone.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, RpcError } from '../helpers/testnet.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { toHex } from '../../core/codec/hex.ts'

describe('identity transfer', () => {
  it('exports identity and contacts sealed, and imports them into a folder with no identity', async () => {
    const net = await createTestnet()
    try {
      const old = net.daemon('alice')
      const me = await old.call('identity.get', {})
      const [bob, carol] = [toHex(generateIdentity().publicKey), toHex(generateIdentity().publicKey)]
      await old.call('contacts.add', { publicKey: bob, name: 'Bob' })
      await old.call('contacts.update', { publicKey: bob, verified: true, notes: 'met in Lyon' })
      await old.call('contacts.update', { publicKey: carol, blocked: true })
      await old.call('identity.setPassphrase', { passphrase: 'at rest' })
      const refused = (code: string) => (err: unknown): boolean => err instanceof RpcError && err.code === code
      await assert.rejects(old.call('identity.export', { passphrase: 'for the trip' }), refused('INVALID_PARAMS'), 'the passphrase guarding it is asked for')
      await assert.rejects(old.call('identity.export', { passphrase: 'for the trip', current: 'wrong' }), refused('WRONG_PASSPHRASE'))
      const { data, fileName } = await old.call('identity.export', { passphrase: 'for the trip', current: 'at rest' })
      assert.equal(fileName, 'alice.bitchat-identity')

      const fresh = net.daemon('laptop', { args: ['--ask-identity'] })
      assert.equal((await fresh.call('identity.status', {})).state, 'none')
      await assert.rejects(fresh.call('identity.import', { data, passphrase: 'nope' }), refused('WRONG_PASSPHRASE'))
      await assert.rejects(fresh.call('identity.import', { data: Buffer.from('garbage').toString('base64'), passphrase: 'x' }), refused('FILE_ERROR'))
      const imported = await fresh.call('identity.import', { data, passphrase: 'for the trip' })
      assert.deepEqual([imported.publicKey, imported.fingerprint, imported.name, imported.encrypted], [me.publicKey, me.fingerprint, 'alice', true])
      const contacts = await fresh.call('contacts.list', {})
      assert.deepEqual(contacts.map(c => [c.publicKey, c.name, c.verified, c.blocked, c.notes]).sort(), [[bob, 'Bob', true, false, 'met in Lyon'], [carol, '', false, true, '']].sort())
      await assert.rejects(fresh.call('identity.import', { data, passphrase: 'for the trip' }), refused('IDENTITY_EXISTS'))
      // It works as the identity: it can make a channel and write.
      const { channelId } = await fresh.call('channels.create', { name: 'still me', trackers: [net.trackerUrl] })
      assert.equal((await fresh.call('messages.send', { channelId, text: 'hello from the laptop' })).message.author, me.publicKey)
    } finally {
      await net.close()
    }
  })
})
