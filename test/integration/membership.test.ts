// An invite-only channel's member list changed by signed entries: its creator adds someone (who then
// gets in and writes), makes a member an admin, and removes someone, who is cut off and refused.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { createTestnet, RpcError, waitUntil } from '../helpers/testnet.ts'

describe('membership of an invite-only channel', () => {
  it('adding lets someone in, removing cuts them off everywhere, and only admins change the list', async () => {
    const net = await createTestnet()
    try {
      const [alice, bob, carol] = [net.daemon('alice'), net.daemon('bob'), net.daemon('carol')]
      const [bobKey, carolKey] = [(await bob.call('identity.get', {})).publicKey, (await carol.call('identity.get', {})).publicKey]
      const { uri, channelId } = await alice.call('channels.create', { name: 'board', trackers: [net.trackerUrl], inviteOnly: true, members: [bobKey] })
      await bob.call('channels.join', { uri })
      await carol.call('channels.join', { uri })
      await waitUntil(async () => (await alice.call('peers.list', { channelId })).length === 1, 15_000, 'alice and bob linked')
      assert.equal((await carol.call('channels.list', {})).find(c => c.channelId === channelId)?.access, 'not-member')

      const refused = (code: string) => (err: unknown): boolean => err instanceof RpcError && err.code === code
      await assert.rejects(bob.call('channels.addMember', { channelId, publicKey: carolKey }), refused('FORBIDDEN'))
      await alice.call('channels.addMember', { channelId, publicKey: carolKey })
      await waitUntil(async () => (await carol.call('channels.list', {})).find(c => c.channelId === channelId)?.access === 'member', 15_000, 'carol in, by the list she synced')
      await carol.call('messages.send', { channelId, text: 'thanks for having me' })
      await waitUntil(async () => (await bob.call('messages.list', { channelId })).some(m => m.text === 'thanks for having me'), 15_000, 'carol\'s message at bob')
      await waitUntil(() => bob.received('member.changed').some(c => c.publicKey === carolKey && c.change === 'added'), 5_000, 'bob told carol was added')

      await alice.call('channels.setAdmin', { channelId, publicKey: bobKey, admin: true })
      await waitUntil(async () => (await carol.call('channels.members', { channelId })).find(m => m.publicKey === bobKey)?.role === 'admin', 10_000, 'bob an admin at carol')

      await bob.call('channels.removeMember', { channelId, publicKey: carolKey })
      await waitUntil(async () => !(await alice.call('channels.members', { channelId })).some(m => m.publicKey === carolKey), 10_000, 'carol off the list at alice')
      await waitUntil(async () => (await alice.call('peers.list', { channelId })).every(p => p.publicKey !== carolKey) && (await bob.call('peers.list', { channelId })).every(p => p.publicKey !== carolKey), 10_000, 'carol cut off')
      await carol.call('messages.send', { channelId, text: 'still here?' }).catch(() => {})
      await sleep(2_000)
      for (const d of [alice, bob]) assert.ok(!(await d.call('messages.list', { channelId })).some(m => m.text === 'still here?'), `${d.name} refuses what carol writes now`)
      await assert.rejects(alice.call('channels.removeMember', { channelId, publicKey: (await alice.call('identity.get', {})).publicKey }), refused('INVALID_PARAMS'))
    } finally {
      await net.close()
    }
  })
})
