// Contacts between real daemons: adding by contact link, the safety code both sides see, and a
// block that cuts someone off (no connection, nothing they write stored or listed) until it is lifted.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { createTestnet, RpcError, waitUntil, type DaemonProcess, type Testnet } from '../helpers/testnet.ts'
import { StoredCounter } from '../helpers/seeded-history.ts'

describe('contacts between daemons', () => {
  let net: Testnet
  let alice: DaemonProcess
  let bob: DaemonProcess
  let carol: DaemonProcess
  let channelId: string

  before(async () => {
    net = await createTestnet()
    alice = net.daemon('alice')
    bob = net.daemon('bob')
    const created = await alice.call('channels.create', { name: 'friends', trackers: [net.trackerUrl] })
    channelId = created.channelId
    await bob.call('channels.join', { uri: created.uri })
    await bob.waitFor('peer.connected', p => p.channelId === channelId, 15_000)
    carol = net.daemon('carol')
    await carol.call('channels.join', { uri: created.uri })
    await waitUntil(async () => (await bob.call('peers.list', { channelId })).length === 2, 15_000, 'bob to meet carol too')
  })
  after(async () => { await net.close() })

  const texts = async (d: DaemonProcess): Promise<string[]> => (await d.call('messages.list', { channelId })).map(m => m.text)

  it('adds someone from their contact link, with the name they signed, and both see one safety code', async () => {
    const { link } = await bob.call('identity.contactLink', {})
    const bobKey = (await bob.call('identity.get', {})).publicKey
    const seen = await alice.call('contacts.inspectLink', { link })
    assert.deepEqual({ publicKey: seen.publicKey, name: seen.name, known: seen.known }, { publicKey: bobKey, name: 'bob', known: false })
    const added = await alice.call('contacts.add', { link, name: 'Bob from work' })
    assert.equal(added.name, 'Bob from work')
    assert.equal(added.theirName, 'bob')
    assert.equal((await alice.waitFor('contact.updated', c => c.publicKey === bobKey)).name, 'Bob from work')
    assert.deepEqual((await alice.call('contacts.list', {})).map(c => c.publicKey), [bobKey])

    const aliceKey = (await alice.call('identity.get', {})).publicKey
    const [fromAlice, fromBob] = await Promise.all([alice.call('contacts.safetyCode', { publicKey: bobKey }), bob.call('contacts.safetyCode', { publicKey: aliceKey })])
    assert.equal(fromAlice.code, fromBob.code)
    const verified = await alice.call('contacts.update', { publicKey: bobKey, verified: true, notes: 'compared on a call' })
    assert.equal(verified.verified, true)
  })

  it('adds someone from their contact file, and refuses one whose key was edited', async () => {
    const carolKey = (await carol.call('identity.get', {})).publicKey
    const { text, fileName } = await carol.call('identity.contactFile', {})
    assert.equal(fileName, 'carol.bitchat-contact')
    const seen = await bob.call('contacts.inspectFile', { contactFile: text })
    assert.deepEqual({ publicKey: seen.publicKey, name: seen.name, known: seen.known }, { publicKey: carolKey, name: 'carol', known: false })
    const edited = text.replace(carolKey, carolKey.replace(/^./, c => (c === 'a' ? 'b' : 'a')))
    await assert.rejects(bob.call('contacts.add', { contactFile: edited }), (err: unknown) => err instanceof RpcError && err.code === 'INVALID_CONTACT_FILE' && /changed or cut short/.test(err.message))
    const added = await bob.call('contacts.add', { contactFile: text })
    assert.deepEqual({ publicKey: added.publicKey, name: added.name }, { publicKey: carolKey, name: 'carol' })
    await assert.rejects(bob.rawCall('contacts.add', { contactFile: text, link: 'x' }), (err: unknown) => err instanceof RpcError && err.code === 'INVALID_PARAMS')
    await assert.rejects(bob.rawCall('contacts.add', { contactFile: 'x'.repeat(1025) }), (err: unknown) => err instanceof RpcError && err.code === 'INVALID_PARAMS')
  })

  it('refuses bad contact input with stable codes', async () => {
    await assert.rejects(alice.call('contacts.add', { link: 'bitchat:contact?v=1&k=00' }), (err: unknown) => err instanceof RpcError && err.code === 'INVALID_URI')
    await assert.rejects(alice.rawCall('contacts.add', { publicKey: 'ab'.repeat(32), link: 'x' }), (err: unknown) => err instanceof RpcError && err.code === 'INVALID_PARAMS')
    await assert.rejects(alice.call('contacts.update', { publicKey: 'ab'.repeat(32), name: 'nobody' }), (err: unknown) => err instanceof RpcError && err.code === 'CONTACT_NOT_FOUND')
    await assert.rejects(alice.rawCall('contacts.update', { publicKey: 'ab'.repeat(32), notes: 'x'.repeat(2001) }), (err: unknown) => err instanceof RpcError && err.code === 'INVALID_PARAMS')
  })

  it('a blocked member is cut off and hidden; unblocked, they and what they wrote meanwhile come back', async () => {
    const aliceKey = (await alice.call('identity.get', {})).publicKey
    await alice.call('messages.send', { channelId, text: 'before the block' })
    await waitUntil(async () => (await texts(bob)).includes('before the block'), 10_000, 'the first message at bob')

    await bob.call('contacts.update', { publicKey: aliceKey, blocked: true })
    await bob.waitFor('peer.disconnected', p => p.publicKey === aliceKey, 10_000)
    assert.deepEqual(await texts(bob), [], 'a blocked author\'s messages are not listed')
    // While bob is away, alice and carol write. Back, bob reconciles with carol, who holds both
    // messages: he takes carol's and refuses alice's, whoever brings it.
    const bobDir = bob.dataDir
    await bob.stop()
    await alice.call('messages.send', { channelId, text: 'while blocked' })
    await carol.call('messages.send', { channelId, text: 'from carol' })
    await waitUntil(async () => (await texts(carol)).includes('while blocked'), 10_000, 'alice\'s message at carol')
    bob = net.daemon('bob', { dataDir: bobDir })
    await waitUntil(async () => (await texts(bob)).includes('from carol'), 15_000, 'carol\'s message at bob')
    // Alice's redials reach bob, who closes each one: she stays out for as long as the block holds.
    await sleep(2_000)
    assert.deepEqual((await bob.call('peers.list', { channelId })).map(p => p.name), ['carol'])
    assert.deepEqual(await texts(bob), ['from carol'])
    // Not only hidden: not stored (the one from before the block is).
    const stored = new StoredCounter(bobDir)
    try {
      assert.equal(stored.count(channelId), 2)
    } finally {
      stored.close()
    }
    assert.ok((await bob.call('contacts.list', {})).some(c => c.publicKey === aliceKey && c.blocked), 'the block outlives a restart')

    await bob.call('contacts.update', { publicKey: aliceKey, blocked: false })
    await waitUntil(async () => (await bob.call('peers.list', { channelId })).length === 2, 10_000, 'alice connected again')
    await waitUntil(async () => (await texts(bob)).includes('while blocked'), 10_000, 'what alice wrote meanwhile')
    assert.deepEqual(await texts(bob), ['before the block', 'while blocked', 'from carol'])
  })
})
