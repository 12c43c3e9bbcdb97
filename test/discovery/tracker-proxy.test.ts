// Tracker announces through a proxy: http trackers through a tunnel the proxy opens (Debian's
// tinyproxy and microsocks), udp trackers not at all.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import net from 'node:net'
import { test } from 'node:test'
import type { TestContext } from 'node:test'
import { TrackerAnnouncer } from '../../core/discovery/tracker.ts'
import { parseProxyUrl, type ProxyConfig } from '../../core/transport/proxy-url.ts'
import { proxiesUnavailable, startMicrosocks, startTinyproxy } from '../helpers/proxies.ts'
import { startTrackerServer } from '../helpers/tracker-server.ts'
import { nextEvent } from '../helpers/wait.ts'

const skip = proxiesUnavailable() ?? false
const infohash = (fill: number): Uint8Array => new Uint8Array(20).fill(fill)

function config (url: string): ProxyConfig {
  const parsed = parseProxyUrl(url)
  assert.ok(parsed.ok)
  return parsed.proxy
}

/** A TCP forwarder in front of `port` that counts the connections it passes on. */
async function counted (t: TestContext, port: number): Promise<{ port: number; connections: () => number }> {
  let connections = 0
  const server = net.createServer(client => {
    connections++
    const upstream = net.connect(port, '127.0.0.1')
    client.pipe(upstream).pipe(client)
    client.on('error', () => { upstream.destroy() })
    upstream.on('error', () => { client.destroy() })
  }).listen(0, '127.0.0.1')
  t.after(() => { server.close() })
  await once(server, 'listening')
  return { port: (server.address() as net.AddressInfo).port, connections: () => connections }
}

test('an http tracker is announced to through an HTTP CONNECT proxy', { skip }, async t => {
  const tracker = await startTrackerServer()
  const proxy = await startTinyproxy()
  const a = new TrackerAnnouncer({ infohash: infohash(1), trackers: [tracker.httpUrl], port: 41001, proxy: config(proxy.url) })
  t.after(async () => { await a.stop(); await tracker.close(); await proxy.close() })
  a.start()
  await nextEvent(a, 'announced')
  assert.match(proxy.output(), new RegExp(`CONNECT 127\\.0\\.0\\.1:${new URL(tracker.httpUrl).port} HTTP/1\\.1`))
})

test('an http tracker is announced to through a SOCKS5 proxy, and a udp tracker is left out with the reason', { skip }, async t => {
  const tracker = await startTrackerServer()
  const socks = await startMicrosocks()
  const front = await counted(t, socks.port)
  const a = new TrackerAnnouncer({ infohash: infohash(2), trackers: [tracker.udpUrl, tracker.httpUrl], port: 41002, proxy: { kind: 'socks5', host: '127.0.0.1', port: front.port } })
  t.after(async () => { await a.stop(); await tracker.close(); await socks.close() })
  const udpRefused = nextEvent(a, 'warning', (_err, url) => url === tracker.udpUrl)
  a.start()
  const [announced] = await nextEvent(a, 'announced')
  assert.equal(announced.tracker, tracker.httpUrl)
  assert.ok(front.connections() >= 1, 'the announce went through the proxy')
  const [err] = await udpRefused
  assert.match(err.message, /not used while a proxy is set/)
  assert.deepEqual(a.status().map(s => [s.url, s.lastError]), [[tracker.udpUrl, 'not used while a proxy is set: a proxy carries no UDP'], [tracker.httpUrl, null]])
})
