// Two members whose only way out is an office proxy (Debian's tinyproxy for HTTP CONNECT, microsocks
// for SOCKS5; all other traffic dropped at their gateways) cannot reach each other at all, yet talk privately through a public
// member that relays. A packet capture on the relay's host (tcpdump) shows it never carried the
// words in plain text.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import fs from 'node:fs'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { test } from 'node:test'
import { NetLab, netnsUnavailable } from '../helpers/netns.ts'
import { proxiesUnavailable, startMicrosocks, startTinyproxy } from '../helpers/proxies.ts'
import { tempDir, waitUntil, type DaemonProcess } from '../helpers/testnet.ts'

const TCPDUMP = '/usr/bin/tcpdump'
const skip = netnsUnavailable() ?? proxiesUnavailable() ?? (fs.existsSync(TCPDUMP) ? false : `needs ${TCPDUMP} (apt-get install tcpdump)`)
const SECRET = 'the plan stays between the two of us'

for (const [kind, start] of [['an HTTP', startTinyproxy], ['a SOCKS5', startMicrosocks]] as const) {
  test(`members whose only way out is ${kind} proxy talk privately through a public relay that sees only ciphertext`, { skip }, async t => {
    const lab = NetLab.create()
    t.after(() => { lab.close() })
    const relayHost = lab.publicHost()
    const proxyHost = lab.publicHost()
    const proxy = await start({ host: proxyHost.address, exec: proxyHost.exec })
    t.after(() => proxy.close())
    const officeA = lab.natSite('cone', { onlyTo: { host: proxy.host, port: proxy.port } })
    const officeB = lab.natSite('cone', { onlyTo: { host: proxy.host, port: proxy.port } })

    const capture = path.join(tempDir(), 'relay.pcap')
    const tcpdump = spawn(relayHost.exec[0]!, [...relayHost.exec.slice(1), TCPDUMP, '-i', 'any', '--immediate-mode', '-U', '-Z', 'root', '-w', capture, 'tcp'], { stdio: ['ignore', 'ignore', 'pipe'] })
    await once(createInterface({ input: tcpdump.stderr! }), 'line')
    const trackerUrl = await lab.tracker(relayHost)
    const relay = lab.daemon(relayHost, 'relay')
    const alice = lab.daemon(officeA.host, 'alice', { args: ['--proxy', proxy.url] })
    const bob = lab.daemon(officeB.host, 'bob', { args: ['--proxy', proxy.url] })
    const key = async (d: DaemonProcess): Promise<string> => (await d.call('identity.get', {})).publicKey
    const [relayKey, bobKey] = [await key(relay), await key(bob)]

    const { uri, channelId: group } = await relay.call('channels.create', { name: 'office', trackers: [trackerUrl] })
    await alice.call('channels.join', { uri })
    await bob.call('channels.join', { uri })
    await waitUntil(async () => (await relay.call('peers.list', { channelId: group })).length === 2, 30_000, 'both to reach the relay through the proxy')
    await bob.call('messages.send', { channelId: group, text: 'hello office' })
    await waitUntil(async () => (await alice.call('messages.list', { channelId: group })).some(m => m.text === 'hello office'), 15_000, 'bob\'s message at alice')

    const { channelId } = await alice.call('conversations.openPrivate', { publicKey: bobKey })
    await alice.call('messages.send', { channelId, text: SECRET })
    await waitUntil(async () => (await bob.call('messages.list', { channelId }).catch(() => [])).some(m => m.text === SECRET), 45_000, 'the private message at bob')
    const [peer] = await alice.call('peers.list', { channelId })
    assert.deepEqual([peer?.publicKey, peer?.transport, peer?.via], [bobKey, 'relay', relayKey])
    await bob.call('messages.send', { channelId, text: 'agreed, quietly' })
    await waitUntil(async () => (await alice.call('messages.list', { channelId })).some(m => m.text === 'agreed, quietly'), 15_000, 'the answer at alice')

    tcpdump.kill('SIGINT')
    await once(tcpdump, 'exit')
    const carried = fs.readFileSync(capture)
    assert.ok(carried.length > 10_000, `the capture holds the relayed traffic (${carried.length} bytes)`)
    for (const words of [SECRET, 'agreed, quietly', 'hello office']) assert.equal(carried.includes(Buffer.from(words)), false, `"${words}" crossed the relay's host in plain text`)
  })
}
