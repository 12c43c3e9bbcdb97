// A member behind a router that offers PCP (Debian's miniupnpd with UPnP off, in a lab gateway: it
// answers PCP and NAT-PMP on one port) has its TCP and UDP listen ports forwarded by PCP, asked
// before NAT-PMP, so a public member dials in without any punching; both mappings go when the
// member quits.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { NetLab, upnpLabUnavailable } from '../helpers/netns.ts'
import { waitUntil } from '../helpers/testnet.ts'

const skip = upnpLabUnavailable() ?? false

test('a member behind a PCP router has TCP and UDP forwarded by PCP, is dialled in on TCP, and quitting removes both', { skip }, async t => {
  const lab = NetLab.create()
  t.after(() => { lab.close() })
  const server = lab.publicHost()
  const site = lab.natSite('cone', { upnp: true, natpmpOnly: true })
  const trackerUrl = await lab.tracker(server)
  const home = lab.daemon(site.host, 'home', { discovery: ['--no-dht', '--no-lan'] })
  // UPnP is searched for first (and not found) before PCP is asked.
  const mapped = await waitUntil(async () => {
    const { portMapping } = await home.call('network.status', {})
    return portMapping?.state === 'mapped' && portMapping
  }, 30_000, 'the router to forward the port by PCP')
  const { listenPort } = await home.call('settings.get', {})
  assert.deepEqual(mapped, { state: 'mapped', via: 'pcp', gateway: site.gatewayAddress, internalPort: listenPort, externalHost: site.publicAddress, externalPort: listenPort, protocols: ['tcp', 'udp'] })
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
  const [peer] = await home.call('peers.list', { channelId })
  assert.equal(peer?.viaPortMapping, true)

  // Deleting a PCP mapping takes the nonce that made it: the router drops both only if it was kept.
  await home.stop()
  await waitUntil(() => !lab.mappings(site).includes('dnat'), 5_000, 'both mappings to go')
})
