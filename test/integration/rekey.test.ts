// Removing a member of an invite-only channel gives the others a new key (a new epoch, PROTOCOL §4.10):
// the removed member, still running on the old key, gets nothing more and is refused; a member away
// during the removal comes back on the old key, is let in for the grace, moves up and gets everything;
// once every member is seen at the new epoch the old key is refused outright, and the epoch survives restarts.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, tempDir, waitUntil, type DaemonProcess } from '../helpers/testnet.ts'
import { parseChannelLink } from '../../core/channel/epoch-link.ts'
import { pskOf } from '../../core/channel/keys.ts'
import { probe } from '../helpers/psk-probe.ts'

describe('a new epoch after a removal', () => {
  it('a removed member stops receiving and cannot reconnect after rotation', async () => {
    const net = await createTestnet()
    try {
      const dirs = { alice: tempDir(), bob: tempDir(), carol: tempDir(), dave: tempDir() }
      const start = (name: keyof typeof dirs): DaemonProcess => net.daemon(name, { dataDir: dirs[name] })
      let [alice, bob, carol] = [start('alice'), start('bob'), start('carol')]
      const dave = start('dave')
      const keyOf = async (d: DaemonProcess): Promise<string> => (await d.call('identity.get', {})).publicKey
      const [bobKey, carolKey, daveKey] = [await keyOf(bob), await keyOf(carol), await keyOf(dave)]
      const { uri, channelId } = await alice.call('channels.create', { name: 'board', trackers: [net.trackerUrl], inviteOnly: true, members: [bobKey, carolKey, daveKey] })
      for (const d of [bob, carol, dave]) await d.call('channels.join', { uri })
      const epochOf = async (d: DaemonProcess): Promise<number | undefined> => (await d.call('channels.list', {})).find(c => c.channelId === channelId)?.epoch
      const texts = async (d: DaemonProcess): Promise<string[]> => (await d.call('messages.list', { channelId })).map(m => m.text)
      const peersOf = async (d: DaemonProcess): Promise<string[]> => (await d.call('peers.list', { channelId })).map(p => p.publicKey)
      await waitUntil(async () => (await peersOf(alice)).length === 3, 20_000, 'alice linked with everyone')
      await alice.call('messages.send', { channelId, text: 'before' })
      for (const d of [bob, carol, dave]) await waitUntil(async () => (await texts(d)).includes('before'), 15_000, `"before" at ${d.name}`)
      assert.equal(await epochOf(alice), 0)

      // Carol is away when dave is removed.
      await carol.stop()
      await alice.call('channels.removeMember', { channelId, publicKey: daveKey })
      assert.equal(await epochOf(alice), 1, 'the removal wrote a new epoch in the same call')
      await waitUntil(async () => await epochOf(bob) === 1, 15_000, 'bob at epoch 1')
      const rekeyed = await bob.waitFor('channel.rekeyed', e => e.channelId === channelId)
      assert.deepEqual(rekeyed.removed, [daveKey])
      await alice.call('messages.send', { channelId, text: 'after' })
      await waitUntil(async () => (await texts(bob)).includes('after'), 15_000, '"after" at bob')

      // Dave, still running on the old key, is let in by nobody: a restart makes him try every member again.
      await dave.stop()
      const daveAgain = start('dave')
      await waitUntil(() => alice.stderr.some(l => l.includes('refused a member not invited') && l.includes(daveKey.slice(0, 16))) ||
        bob.stderr.some(l => l.includes('refused a member not invited') && l.includes(daveKey.slice(0, 16))), 20_000, 'dave refused on reconnecting')
      assert.equal(await epochOf(daveAgain), 0)

      // Carol comes back on epoch 0: let in for the grace, she finds the new epoch and everything.
      carol = start('carol')
      await waitUntil(async () => await epochOf(carol) === 1, 30_000, 'carol at epoch 1')
      await waitUntil(async () => (await texts(carol)).includes('after'), 15_000, '"after" at carol')
      await carol.call('messages.send', { channelId, text: 'back' })
      for (const d of [alice, bob]) await waitUntil(async () => (await texts(d)).includes('back'), 15_000, `"back" at ${d.name}`)
      assert.deepEqual((await peersOf(daveAgain)), [], 'dave has no link')
      const daveTexts = await texts(daveAgain)
      assert.ok(!daveTexts.includes('after') && !daveTexts.includes('back'), 'dave got nothing written after his removal')

      // Everyone restarts: the epoch stays, they meet at it, and then the old key opens no door.
      await Promise.all([alice.stop(), bob.stop(), carol.stop()])
      ;[alice, bob, carol] = [start('alice'), start('bob'), start('carol')]
      for (const d of [alice, bob, carol]) assert.equal(await epochOf(d), 1, `${d.name} still at epoch 1`)
      const link = parseChannelLink((await alice.call('channels.share', { channelId })).uri)
      assert.equal(link.epoch?.epoch, 1, 'the link carries the new epoch')
      const port = (await alice.call('settings.get', {})).listenPort
      const oldPsk = pskOf(link.descriptor.secret)
      await waitUntil(async () => (await probe(port, oldPsk)).length === 0, 30_000, 'alice refusing the old key outright')
      assert.ok((await probe(port, pskOf(link.epoch!.key))).length > 0, 'alice answers the new key')
      await alice.call('messages.send', { channelId, text: 'later' })
      for (const d of [bob, carol]) await waitUntil(async () => (await texts(d)).includes('later'), 15_000, `"later" at ${d.name}`)
      assert.ok(!(await texts(daveAgain)).includes('later'))
      assert.deepEqual((await peersOf(daveAgain)), [])
    } finally {
      await net.close()
    }
  })
})
