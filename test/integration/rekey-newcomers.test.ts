// Members added once an invite-only channel is past epoch 0 get its current key (PROTOCOL §4.10): one
// holding an old link is given it in an entry by the admin who added them, one invited gets it in the link.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, waitUntil, type DaemonProcess } from '../helpers/testnet.ts'

describe('newcomers after a new epoch', () => {
  it('an added member with the old link, and an invited one, reach the current epoch', async () => {
    const net = await createTestnet()
    try {
      const [alice, bob, erin, frank] = [net.daemon('alice'), net.daemon('bob'), net.daemon('erin'), net.daemon('frank')]
      const keyOf = async (d: DaemonProcess): Promise<string> => (await d.call('identity.get', {})).publicKey
      const [bobKey, erinKey, frankKey] = [await keyOf(bob), await keyOf(erin), await keyOf(frank)]
      const { uri, channelId } = await alice.call('channels.create', { name: 'board', trackers: [net.trackerUrl], inviteOnly: true, members: [bobKey] })
      await bob.call('channels.join', { uri })
      const epochOf = async (d: DaemonProcess): Promise<number | undefined> => (await d.call('channels.list', {})).find(c => c.channelId === channelId)?.epoch
      const texts = async (d: DaemonProcess): Promise<string[]> => (await d.call('messages.list', { channelId })).map(m => m.text)
      await waitUntil(async () => (await alice.call('peers.list', { channelId })).length === 1, 15_000, 'alice and bob linked')
      await alice.call('channels.removeMember', { channelId, publicKey: bobKey })
      assert.equal(await epochOf(alice), 1)

      // Erin holds only the link from before: let in on it for the grace, she is given the new key.
      await alice.call('channels.addMember', { channelId, publicKey: erinKey })
      await erin.call('channels.join', { uri })
      await waitUntil(async () => await epochOf(erin) === 1, 20_000, 'erin at epoch 1')

      // Frank is invited: the invitation's link carries the key, and he starts at epoch 1.
      // (An open channel in common carries the private conversation the invitation comes in.)
      await frank.call('channels.join', { uri: (await alice.call('channels.create', { name: 'lobby', trackers: [net.trackerUrl] })).uri })
      await alice.call('channels.invite', { channelId, publicKeys: [frankKey] })
      const invitation = await frank.waitFor('invitation.received', i => i.channelId === channelId, 30_000)
      await frank.call('invitations.accept', { invitationId: invitation.invitationId })
      assert.equal(await epochOf(frank), 1, 'the link gave the epoch')
      await waitUntil(async () => (await frank.call('channels.list', {})).find(c => c.channelId === channelId)?.access === 'member', 20_000, 'frank on the list he synced')
      await frank.call('messages.send', { channelId, text: 'hello from frank' })
      for (const d of [alice, erin]) await waitUntil(async () => (await texts(d)).includes('hello from frank'), 20_000, `frank's message at ${d.name}`)
      assert.ok(!(await texts(bob)).includes('hello from frank'))
    } finally {
      await net.close()
    }
  })
})
