// Group chats with selected people: an invite-only channel made for them, each invited by a private
// message they accept (and join) or decline. Real daemons on a loopback tracker.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, RpcError, waitUntil } from '../helpers/testnet.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { toHex } from '../../core/codec/hex.ts'

describe('invitations', () => {
  it('a group made for selected people: each is invited privately, one accepts and joins, one declines', async () => {
    const net = await createTestnet()
    try {
      const [alice, bob, carol] = [net.daemon('alice'), net.daemon('bob'), net.daemon('carol')]
      const { uri } = await alice.call('channels.create', { name: 'club', trackers: [net.trackerUrl] })
      await bob.call('channels.join', { uri })
      await carol.call('channels.join', { uri })
      const [aliceKey, bobKey, carolKey] = await Promise.all([alice, bob, carol].map(async d => (await d.call('identity.get', {})).publicKey)) as [string, string, string]

      const { channelId } = await alice.call('channels.invite', { name: 'trip', publicKeys: [bobKey, carolKey] })
      const created = (await alice.call('channels.list', {})).find(c => c.channelId === channelId)
      assert.deepEqual([created?.name, created?.mode], ['trip', 'invite'])

      const atBob = await bob.waitFor('invitation.received', i => i.channelId === channelId, 15_000)
      assert.deepEqual([atBob.name, atBob.mode, atBob.members, atBob.status, atBob.from.publicKey, atBob.from.name], ['trip', 'invite', 2, 'pending', aliceKey, 'alice'])
      const atCarol = await carol.waitFor('invitation.received', i => i.channelId === channelId, 15_000)
      assert.deepEqual((await bob.call('invitations.list', {})).map(i => [i.invitationId, i.status]), [[atBob.invitationId, 'pending']])
      assert.ok(!(await bob.call('channels.list', {})).some(c => c.channelId === channelId), 'nothing is joined before an answer')

      assert.deepEqual(await bob.call('invitations.accept', { invitationId: atBob.invitationId }), { channelId })
      await waitUntil(async () => (await alice.call('peers.list', { channelId })).some(p => p.publicKey === bobKey), 15_000, 'bob in the trip channel')
      await alice.call('messages.send', { channelId, text: 'packing list?' })
      await waitUntil(async () => (await bob.call('messages.list', { channelId })).some(m => m.text === 'packing list?'), 10_000, 'the first message of the group at bob')
      assert.equal((await bob.call('invitations.list', {}))[0]?.status, 'accepted')

      await carol.call('invitations.decline', { invitationId: atCarol.invitationId })
      assert.equal((await carol.call('invitations.list', {}))[0]?.status, 'declined')
      assert.ok(!(await carol.call('channels.list', {})).some(c => c.channelId === channelId))

      const refused = (code: string) => (err: unknown): boolean => err instanceof RpcError && err.code === code
      const stranger = toHex(generateIdentity().publicKey)
      // Only its creator or an admin may put someone new on an invite-only channel's list to invite them.
      await assert.rejects(bob.call('channels.invite', { channelId, publicKeys: [stranger] }), refused('FORBIDDEN'))
      await alice.call('channels.invite', { channelId, publicKeys: [stranger] })
      await waitUntil(async () => (await alice.call('channels.members', { channelId })).some(m => m.publicKey === stranger), 5_000, 'the stranger on the list')
      await assert.rejects(bob.call('invitations.accept', { invitationId: 'ab'.repeat(32) }), refused('INVITATION_NOT_FOUND'))
      await assert.rejects(alice.rawCall('channels.invite', { publicKeys: [bobKey] }), refused('INVALID_PARAMS'))
    } finally {
      await net.close()
    }
  })
})
