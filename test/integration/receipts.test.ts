// Message states between real daemons: our messages go from sent to delivered (to N members) to read
// as members' RECEIPTs arrive; a member who turned read receipts off never says it read anything.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { createTestnet, waitUntil, type DaemonProcess } from '../helpers/testnet.ts'
import type { MessageInfo } from '../../core/api/contract.ts'

describe('message states', () => {
  it('go from sent to delivered to read as members receive and read, and only as far as they say', async () => {
    const net = await createTestnet()
    try {
      const [alice, bob, carol] = [net.daemon('alice'), net.daemon('bob'), net.daemon('carol')]
      const { uri, channelId } = await alice.call('channels.create', { name: 'states', trackers: [net.trackerUrl] })
      await bob.call('channels.join', { uri })
      await carol.call('channels.join', { uri })
      await waitUntil(async () => (await alice.call('peers.list', { channelId })).length === 2, 15_000, 'alice to meet bob and carol')
      await carol.call('settings.set', { readReceipts: false })
      assert.equal((await carol.call('settings.get', {})).readReceipts, false)

      const sent = await alice.call('messages.send', { channelId, text: 'did you get this?' })
      assert.deepEqual([sent.message.state, sent.message.deliveredTo, sent.message.readBy], ['sent', 0, 0])
      const mine = async (d: DaemonProcess): Promise<MessageInfo> => (await d.call('messages.list', { channelId })).find(m => m.messageId === sent.messageId)!
      await waitUntil(async () => (await mine(alice)).deliveredTo === 2, 10_000, 'delivered to both')
      assert.equal((await mine(alice)).state, 'delivered')
      const [bobKey, carolKey] = [(await bob.call('identity.get', {})).publicKey, (await carol.call('identity.get', {})).publicKey]
      await waitUntil(() => alice.received('receipt').some(r => r.channelId === channelId && r.publicKey === bobKey && r.delivered === 1), 5_000, 'a receipt event')
      // Their own messages carry no state.
      const atBob = await mine(bob)
      assert.equal(atBob.state, undefined)

      await bob.call('channels.markRead', { channelId })
      await carol.call('channels.markRead', { channelId })
      await waitUntil(async () => (await mine(alice)).readBy === 1, 10_000, 'read by bob')
      assert.equal((await mine(alice)).state, 'read')
      await sleep(2_000)
      assert.equal((await mine(alice)).readBy, 1, 'carol does not send read receipts')
      const receipts = await alice.call('channels.receipts', { channelId })
      assert.deepEqual(receipts.map(r => [r.publicKey, r.delivered, r.read]).sort(), [[bobKey, 1, 1], [carolKey, 1, 0]].sort())

      // Across a restart of the author the states hold (receipts are stored).
      const dir = alice.dataDir
      await alice.stop()
      const again = net.daemon('alice', { dataDir: dir })
      const after = (await again.call('messages.list', { channelId })).find(m => m.messageId === sent.messageId)!
      assert.deepEqual([after.state, after.deliveredTo, after.readBy], ['read', 2, 1])
    } finally {
      await net.close()
    }
  })
})
