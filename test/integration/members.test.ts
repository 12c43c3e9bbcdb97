// channels.members between real daemons: who is online, who was seen and when, who is listed but never came.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, waitUntil } from '../helpers/testnet.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { toHex } from '../../core/codec/hex.ts'

describe('the member list of a channel', () => {
  it('shows members online first, authors who left with when they were last seen, and listed members who never came', async () => {
    const net = await createTestnet()
    try {
      const [alice, bob, carol] = [net.daemon('alice'), net.daemon('bob'), net.daemon('carol')]
      const bobKey = (await bob.call('identity.get', {})).publicKey
      const carolKey = (await carol.call('identity.get', {})).publicKey
      const dave = toHex(generateIdentity().publicKey)
      const { uri, channelId } = await alice.call('channels.create', { name: 'crew', trackers: [net.trackerUrl], inviteOnly: true, members: [bobKey, carolKey, dave] })
      await bob.call('channels.join', { uri })
      await carol.call('channels.join', { uri })
      await waitUntil(async () => (await alice.call('peers.list', { channelId })).length === 2, 15_000, 'alice to meet bob and carol')
      await bob.call('messages.send', { channelId, text: 'hello crew' })
      await waitUntil(async () => (await alice.call('messages.list', { channelId })).length === 1, 10_000, 'bob\'s message at alice')

      const online = await alice.call('channels.members', { channelId })
      assert.deepEqual(online.map(m => [m.publicKey, m.online, m.role]).slice(0, 2).sort(), [[bobKey, true, 'member'], [carolKey, true, 'member']].sort())
      assert.deepEqual(online.slice(2).map(m => [m.publicKey, m.online, m.lastSeen]), [[dave, false, null]])
      assert.equal(online.find(m => m.publicKey === bobKey)?.name, 'bob')

      const beforeLeaving = Date.now()
      await bob.stop()
      await waitUntil(async () => !(await alice.call('channels.members', { channelId })).find(m => m.publicKey === bobKey)?.online, 10_000, 'bob offline at alice')
      const later = await alice.call('channels.members', { channelId })
      assert.deepEqual(later.map(m => m.publicKey), [carolKey, bobKey, dave], 'online, then the most recently seen, then never seen')
      const bobThen = later.find(m => m.publicKey === bobKey)!
      assert.equal(bobThen.name, 'bob')
      assert.ok(bobThen.lastSeen !== null && bobThen.lastSeen >= beforeLeaving, `last seen ${bobThen.lastSeen}`)
      // The creator does not list itself.
      assert.ok(!later.some(m => m.role === 'creator'))
      const fromCarol = await carol.call('channels.members', { channelId })
      assert.equal(fromCarol.find(m => m.role === 'creator')?.name, 'alice')
    } finally {
      await net.close()
    }
  })
})
