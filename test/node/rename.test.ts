// A new display name reaches the peers already connected at once, not only those met later.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, waitUntil, type DaemonProcess, type Testnet } from '../helpers/testnet.ts'

describe('renaming yourself while connected', () => {
  let net: Testnet
  let alice: DaemonProcess, bob: DaemonProcess
  let channelId: string
  let bobKey: string

  before(async () => {
    net = await createTestnet()
    alice = net.daemon('alice')
    bob = net.daemon('bob')
    const created = await alice.call('channels.create', { name: 'names', trackers: [net.trackerUrl] })
    channelId = created.channelId
    await bob.call('channels.join', { uri: created.uri })
    bobKey = (await bob.call('identity.get', {})).publicKey
    await alice.waitFor('peer.connected', p => p.publicKey === bobKey, 15_000)
  })
  after(async () => { await net.close() })

  it('shows the new name in the peer list and tells the UI with peer.updated', async () => {
    await bob.call('identity.setName', { name: 'Robert' })
    const updated = await alice.waitFor('peer.updated', p => p.publicKey === bobKey && p.name === 'Robert')
    assert.equal(updated.channelId, channelId)
    assert.deepEqual((await alice.call('peers.list', { channelId })).map(p => p.name), ['Robert'])
  })

  it('puts the new name on the messages that follow', async () => {
    const { messageId } = await bob.call('messages.send', { channelId, text: 'call me Robert' })
    const received = await alice.waitFor('message.received', m => m.messageId === messageId)
    assert.equal(received.authorName, 'Robert')
    const listed = await alice.call('messages.list', { channelId })
    assert.equal(listed.find(m => m.messageId === messageId)?.authorName, 'Robert')
  })

  it('remembers the new name after the peer has gone', async () => {
    await bob.stop()
    await alice.waitFor('peer.disconnected', p => p.publicKey === bobKey)
    const listed = await alice.call('messages.list', { channelId })
    assert.ok(listed.length > 0 && listed.every(m => m.authorName === 'Robert'), JSON.stringify(listed.map(m => m.authorName)))
    // Stored, not only held in memory: a restarted node shows it too.
    await alice.stop()
    const again = net.daemon('alice', { dataDir: alice.dataDir })
    const reread = await waitUntil(async () => await again.call('messages.list', { channelId }).catch(() => undefined), 10_000, 'alice to restart')
    assert.ok(reread.every(m => m.authorName === 'Robert'))
  })
})
