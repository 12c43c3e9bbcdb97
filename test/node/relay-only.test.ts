// 'Hide my IP address' (settings relayOnly) on one node, driven by hand: what it stops (the DHT, incoming
// connections, port mapping, the listen port in its profile, direct links to members who are not contacts)
// and that turning it off gives everything back without a restart.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { dispatch } from '../../core/api/service.ts'
import { toHex } from '../../core/codec/hex.ts'
import { generateIdentity, type Identity } from '../../core/identity/identity.ts'
import { silentLogger } from '../../core/log.ts'
import { startNode } from '../../core/node/node.ts'
import { readProfile } from '../../core/wire/profile.ts'
import { channelPsk } from '../helpers/channel-psk.ts'
import { HandDrivenPeer } from '../helpers/hand-driven-peer.ts'
import { startLoopbackDht } from '../helpers/loopback-dht.ts'
import { tempDir, waitUntil } from '../helpers/testnet.ts'

test('hiding the address is kept across restarts, puts the DHT to sleep, refuses incoming connections and forwards no port; turned off, all of it comes back', async t => {
  const dht = await startLoopbackDht(4)
  t.after(() => dht.close())
  const dataDir = tempDir()
  const start = async (relayOnly?: boolean) => await startNode({ dataDir, name: 'alice', host: '127.0.0.1', createIdentity: true, dht: { bootstrap: [dht.bootstrap] }, lan: false, portMapping: true, ...(relayOnly === undefined ? {} : { relayOnly }), log: silentLogger })
  let node = await start()
  t.after(() => node.close())
  assert.equal((await node.api['settings.get']({})).relayOnly, false)
  assert.equal((await node.api['network.status']({})).relayOnly, false)
  await node.api['settings.set']({ portMapping: false })

  const set = await dispatch(node, 'settings.set', { relayOnly: true })
  assert.equal((set as { relayOnly: boolean }).relayOnly, true)
  let status = await node.api['network.status']({})
  assert.equal(status.relayOnly, true)
  assert.equal(status.dht.enabled, false, 'the DHT would show our address to whoever asks it')
  const { uri } = await node.api['channels.create']({ name: 'hidden', trackers: [] })
  const knocking = new HandDrivenPeer(node.listenPort, channelPsk(uri))
  await assert.rejects(knocking.established, 'an incoming connection is refused')

  await node.close()
  node = await start()
  assert.equal((await node.api['settings.get']({})).relayOnly, true, 'kept for the next run')
  status = await node.api['network.status']({})
  assert.equal(status.dht.enabled, false, 'asleep from the start')
  await node.api['settings.set']({ portMapping: true })
  assert.deepEqual((await node.api['network.status']({})).portMapping, { state: 'off', reason: 'not used while hiding your IP address' })
  await node.api['settings.set']({ portMapping: false })

  await node.api['settings.set']({ relayOnly: false })
  status = await node.api['network.status']({})
  assert.equal(status.relayOnly, false)
  assert.equal(status.dht.enabled, true)
  const welcome = new HandDrivenPeer(node.listenPort, channelPsk(uri))
  await welcome.established
  welcome.destroy()

  await node.close()
  node = await start(true)
  assert.equal((await node.api['settings.get']({})).relayOnly, true, 'set at start (--relay-only)')
})

test('turned on while connected: a member who is not a contact is cut off, a contact stays and hears we listen nowhere until removed from the contacts', async t => {
  const node = await startNode({ dataDir: tempDir(), name: 'alice', host: '127.0.0.1', createIdentity: true, dht: false, lan: false, portMapping: false, log: silentLogger })
  t.after(() => node.close())
  const { channelId, uri } = await node.api['channels.create']({ name: 'hidden', trackers: [] })
  const psk = channelPsk(uri)
  const contactIdentity: Identity = generateIdentity()
  const contact = new HandDrivenPeer(node.listenPort, psk, contactIdentity)
  const stranger = new HandDrivenPeer(node.listenPort, psk)
  t.after(() => { contact.destroy(); stranger.destroy() })
  await Promise.all([contact.established, stranger.established])
  contact.hello({ name: 'bob', tcpPort: 0 })
  stranger.hello({ name: 'carol', tcpPort: 0 })
  await waitUntil(async () => (await node.api['peers.list']({ channelId })).length === 2, 5_000, 'both linked')
  await node.api['contacts.add']({ publicKey: toHex(contactIdentity.publicKey) })
  await waitUntil(() => contact.profiles.length > 0, 5_000, 'a first profile')
  assert.notEqual(readProfile(contact.profiles.at(-1)!).tcpPort, 0, 'a listening node says where')

  await node.api['settings.set']({ relayOnly: true })
  await waitUntil(() => stranger.closed, 5_000, 'the stranger\'s direct connection to close')
  await waitUntil(() => readProfile(contact.profiles.at(-1)!).tcpPort === 0, 5_000, 'a profile that listens nowhere')
  assert.equal(contact.closed, false, 'a contact keeps its direct connection')

  await node.api['contacts.remove']({ publicKey: toHex(contactIdentity.publicKey) })
  await waitUntil(() => contact.closed, 5_000, 'the direct connection of someone no longer a contact to close')
})

test('with a proxy as well, each keeps the DHT asleep while the other is off', async t => {
  const dht = await startLoopbackDht(4)
  t.after(() => dht.close())
  const node = await startNode({ dataDir: tempDir(), name: 'alice', host: '127.0.0.1', createIdentity: true, dht: { bootstrap: [dht.bootstrap] }, lan: false, portMapping: false, log: silentLogger })
  t.after(() => node.close())
  const dhtOn = async (): Promise<boolean> => (await node.api['network.status']({})).dht.enabled
  await node.api['settings.set']({ relayOnly: true, proxy: 'socks5://127.0.0.1:9050' })
  assert.equal(await dhtOn(), false)
  await node.api['settings.set']({ relayOnly: false })
  assert.equal(await dhtOn(), false, 'the proxy still hides the address')
  await node.api['settings.set']({ relayOnly: true, proxy: null })
  assert.equal(await dhtOn(), false, 'hiding the address still does')
  const settings = await node.api['settings.get']({})
  assert.deepEqual([settings.relayOnly, settings.proxy], [true, null])
  await node.api['settings.set']({ relayOnly: false })
  assert.equal(await dhtOn(), true)
})

test('settings changed at once (a proxy, hiding the IP, and back) leave the DHT and UDP as the last one says', async t => {
  const dht = await startLoopbackDht(4)
  t.after(() => dht.close())
  const node = await startNode({ dataDir: tempDir(), name: 'alice', host: '127.0.0.1', createIdentity: true, dht: { bootstrap: [dht.bootstrap] }, lan: false, portMapping: false, log: silentLogger })
  t.after(() => node.close())
  for (const last of [true, false]) {
    await Promise.all([
      node.api['settings.set']({ relayOnly: !last }),
      node.api['settings.set']({ proxy: 'socks5://127.0.0.1:9050' }),
      node.api['settings.set']({ relayOnly: last }),
      node.api['settings.set']({ proxy: null })
    ])
    const status = await node.api['network.status']({})
    assert.deepEqual([status.relayOnly, status.dht.enabled, status.udp?.enabled], [last, !last, !last])
  }
})
