// A member behind a router that forwards ports (Debian's miniupnpd in a lab gateway: UPnP-IGD, PCP or
// NAT-PMP) has its listen port forwarded, TCP and UDP, so a public member dials in without any
// punching; the mappings go when the member quits, and when a proxy is set.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { test } from 'node:test'
import { NetLab, upnpLabUnavailable } from '../helpers/netns.ts'
import { waitUntil } from '../helpers/testnet.ts'

const skip = upnpLabUnavailable() ?? false

/**
 * The routers a member may be behind, and how each forwards ports: UPnP-IGD, PCP, and NAT-PMP (the
 * gateway told to drop PCP requests, so it is NAT-PMP that answers). Each is searched for in that
 * order, so the later ones take the earlier ones' time to give up.
 */
const ROUTERS = [
  { via: 'upnp', opts: { upnp: true }, waitMs: 15_000 },
  { via: 'pcp', opts: { upnp: true, natpmpOnly: true }, waitMs: 30_000 },
  {
    via: 'natpmp',
    opts: { upnp: true, natpmpOnly: true },
    waitMs: 30_000,
    // The first byte after the UDP header is the version: 2 is PCP, 0 NAT-PMP.
    prepare: (gateway: string) => { execFileSync('/usr/sbin/ip', ['netns', 'exec', gateway, '/usr/sbin/nft', 'add chain inet filter pcp_off { type filter hook input priority -10; } ; add rule inet filter pcp_off udp dport 5351 @th,64,8 2 drop']) }
  }
] as const

for (const router of ROUTERS) {
  test(`a member behind a router speaking ${router.via} has TCP and UDP forwarded, is dialled in on TCP, and quitting removes both`, { skip }, async t => {
    const lab = NetLab.create()
    t.after(() => { lab.close() })
    const server = lab.publicHost()
    const site = lab.natSite('cone', router.opts)
    if ('prepare' in router) router.prepare(site.gateway)
    const trackerUrl = await lab.tracker(server)
    const home = lab.daemon(site.host, 'home', { discovery: ['--no-dht', '--no-lan'] })
    const mapped = await waitUntil(async () => {
      const { portMapping } = await home.call('network.status', {})
      return portMapping?.state === 'mapped' && portMapping
    }, router.waitMs, `the router to forward the port by ${router.via}`)
    const { listenPort } = await home.call('settings.get', {})
    assert.deepEqual(mapped, { state: 'mapped', via: router.via, gateway: site.gatewayAddress, internalPort: listenPort, externalHost: site.publicAddress, externalPort: listenPort, protocols: ['tcp', 'udp'] })
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

    // Deleting a PCP mapping takes the nonce that made it: the router drops it only if it was kept.
    await home.stop()
    await waitUntil(() => !lab.mappings(site).includes('dnat'), 5_000, 'both mappings to go')
  })
}

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
