// A member behind a router that offers UPnP-IGD (Debian's miniupnpd in a lab gateway) has its listen
// port forwarded, TCP and UDP, so a public member dials in without any punching; the mappings go
// when the member quits, and when a proxy is set.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { NetLab, upnpLabUnavailable } from '../helpers/netns.ts'
import { waitUntil } from '../helpers/testnet.ts'

const skip = upnpLabUnavailable() ?? false

test('a member behind a UPnP router is dialled in on its forwarded port; quitting removes the mapping', { skip }, async t => {
  const lab = NetLab.create()
  t.after(() => { lab.close() })
  const server = lab.publicHost()
  const site = lab.natSite('cone', { upnp: true })
  const trackerUrl = await lab.tracker(server)
  const home = lab.daemon(site.host, 'home', { discovery: ['--no-dht', '--no-lan'] })
  const mapped = await waitUntil(async () => {
    const { portMapping } = await home.call('network.status', {})
    return portMapping?.state === 'mapped' && portMapping
  }, 15_000, 'the router to forward the port')
  const { listenPort } = await home.call('settings.get', {})
  assert.deepEqual(mapped, { state: 'mapped', via: 'upnp', gateway: site.gatewayAddress, internalPort: listenPort, externalHost: site.publicAddress, externalPort: listenPort, protocols: ['tcp', 'udp'] })
  const host = site.host.address.replaceAll('.', '\\.')
  const rules = lab.mappings(site)
  // nft shows the IP header's protocol byte: 0x6 TCP, 0x11 UDP.
  assert.match(rules, new RegExp(` 0x6 th dport ${listenPort} dnat ip to ${host}:${listenPort}\n`))
  assert.match(rules, new RegExp(` 0x11 th dport ${listenPort} dnat ip to ${host}:${listenPort}\n`))

  // The public member learns the home member's public address from the tracker and dials it.
  const { channelId, uri } = await home.call('channels.create', { name: 'home', trackers: [trackerUrl] })
  const open = lab.daemon(server, 'open')
  await open.call('channels.join', { uri })
  await waitUntil(async () => (await home.call('network.status', {})).reachable, 30_000, 'someone to dial the home member in')
  await waitUntil(async () => (await open.call('peers.list', { channelId })).length === 1, 15_000, 'the two to link')

  await home.stop()
  await waitUntil(() => !lab.mappings(site).includes('dnat'), 5_000, 'both mappings to go')
})

test('setting a proxy removes the mapping, and clearing it maps again', { skip }, async t => {
  const lab = NetLab.create()
  t.after(() => { lab.close() })
  const site = lab.natSite('cone', { upnp: true })
  const home = lab.daemon(site.host, 'home', { discovery: ['--no-dht', '--no-lan'] })
  await waitUntil(async () => (await home.call('network.status', {})).portMapping?.state === 'mapped', 15_000, 'the mapping')
  await home.call('settings.set', { proxy: 'socks5://127.0.0.1:9050' })
  await waitUntil(() => !lab.mappings(site).includes('dnat'), 5_000, 'the mapping to go')
  assert.deepEqual((await home.call('network.status', {})).portMapping, { state: 'off', reason: 'not used while a proxy is set' })
  await home.call('settings.set', { proxy: null })
  await waitUntil(() => lab.mappings(site).includes('dnat'), 15_000, 'the mapping again')
  await home.call('settings.set', { portMapping: false })
  await waitUntil(() => !lab.mappings(site).includes('dnat'), 5_000, 'the mapping to go once turned off')
  assert.equal((await home.call('settings.get', {})).portMapping, false)
})
