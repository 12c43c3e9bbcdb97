// A member whose network lets out nothing but TCP to a proxy (an office network) talks with a public
// member through it: every connection and tracker announce goes through the proxy, and its DHT and
// LAN are off. Debian's tinyproxy (HTTP CONNECT) and microsocks (SOCKS5) on the public network.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { NetLab, netnsUnavailable } from '../helpers/netns.ts'
import { proxiesUnavailable, startMicrosocks, startTinyproxy } from '../helpers/proxies.ts'
import { waitUntil } from '../helpers/testnet.ts'

const skip = netnsUnavailable() ?? proxiesUnavailable() ?? false

const withLogin = async (where: { host: string; exec: readonly string[] }) => await startMicrosocks({ ...where, login: { user: 'office', password: 's3cret' } })

for (const [kind, start] of [['an HTTP CONNECT', startTinyproxy], ['a SOCKS5', withLogin]] as const) {
  test(`a member that can reach only ${kind} proxy converses with a public member through it`, { skip }, async t => {
    const lab = NetLab.create()
    t.after(() => { lab.close() })
    const server = lab.publicHost()
    const proxyHost = lab.publicHost()
    const proxy = await start({ host: proxyHost.address, exec: proxyHost.exec })
    t.after(() => proxy.close())
    const site = lab.natSite('cone', { onlyTo: { host: proxy.host, port: proxy.port } })

    const trackerUrl = await lab.tracker(server)
    const open = lab.daemon(server, 'open')
    // DHT and LAN asked for, and still off: the proxy turns them off.
    const hidden = lab.daemon(site.host, 'hidden', { discovery: ['--dht-bootstrap', ''], args: ['--proxy', proxy.url] })

    const { channelId, uri } = await open.call('channels.create', { name: 'office', trackers: [trackerUrl] })
    await hidden.call('channels.join', { uri })
    await waitUntil(async () => (await open.call('peers.list', { channelId })).length === 1, 30_000, 'the hidden member to reach the public one')

    const [viaProxy] = await hidden.call('peers.list', { channelId })
    assert.equal(viaProxy?.transport, 'proxy', 'the member behind the proxy sees its connection as going through it')
    const [seen] = await open.call('peers.list', { channelId })
    assert.equal(seen?.name, 'hidden')
    assert.equal(seen?.address.split(':')[0], proxy.host, 'the public member sees the proxy, not the member behind it')
    const status = await hidden.call('network.status', {})
    assert.equal(status.proxy, proxy.url.replace(/:[^:@/]*@/, '@'))
    assert.equal(status.dht.enabled, false)
    assert.equal(status.lan.enabled, false)
    const [trackerSeen] = status.channels[0]?.trackers ?? []
    assert.equal(trackerSeen?.lastError, null, 'the announce went through the proxy')

    const { messageId } = await hidden.call('messages.send', { channelId, text: 'hello through the proxy' })
    await waitUntil(async () => (await open.call('messages.list', { channelId })).some(m => m.messageId === messageId), 15_000, 'the message to arrive')
    const reply = await open.call('messages.send', { channelId, text: 'and back' })
    await waitUntil(async () => (await hidden.call('messages.list', { channelId })).some(m => m.messageId === reply.messageId), 15_000, 'the answer to arrive')
    assert.equal(lab.droppedOutbound(site), 0, 'nothing tried to leave but through the proxy (no DHT, LAN, udp tracker or direct dial)')
    assert.doesNotMatch(JSON.stringify(await hidden.call('network.status', {})), /s3cret/, 'the network status never shows the proxy password')
  })
}
