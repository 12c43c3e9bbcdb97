// What a daemon loads before it answers, and what it leaves until a feature is used: the tracker
// client (which drags in a WebRTC addon and fetch polyfills), the web server and libsodium's
// WebAssembly build stay out of an idle daemon's memory and start-up time. Its compiled code is
// kept for the next start.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { createTestnet, tempDir, waitUntil } from '../helpers/testnet.ts'
import { moduleTraceEnv } from '../helpers/module-trace.ts'

const LAZY = {
  'the tracker client': '/node_modules/bittorrent-tracker/',
  'the WebRTC addon': '/node_modules/node-datachannel/',
  'the web server': '/core/web/web-server.',
  ws: '/node_modules/ws/',
  "libsodium's WebAssembly build (passphrases only)": '/node_modules/libsodium-wrappers-sumo/'
}

/** Loaded only for a setting the idle daemon does not have: a proxy (undici for tracker announces), port mapping (UPnP). */
const LAZY_BY_SETTING = {
  'undici (tracker announces through a proxy)': '/node_modules/undici/',
  'the UPnP port mapper': '/node_modules/@achingbrain/nat-port-mapper/'
}

function scratchDir (t: TestContext): string {
  const dir = tempDir()
  t.after(() => { rmSync(dir, { recursive: true, force: true }) })
  return dir
}

function loadedParts (traceFile: string, parts: Record<string, string> = LAZY): string[] {
  const urls = readFileSync(traceFile, 'utf8').split('\n')
  return Object.entries(parts).filter(([, marker]) => urls.some(url => url.includes(marker))).map(([part]) => part)
}

test('an idle daemon answers without loading the tracker client, WebRTC, ws, the web server or libsodium\'s WebAssembly', async (t) => {
  const net = await createTestnet()
  t.after(() => net.close())
  const trace = path.join(scratchDir(t), 'modules.txt')
  const daemon = net.daemon('idle', { env: moduleTraceEnv(trace) })
  assert.equal((await daemon.call('identity.status', {})).state, 'ready')
  assert.equal(await daemon.stop(), 0)
  const urls = readFileSync(trace, 'utf8')
  assert.match(urls, /\/core\/node\/node\.(ts|js)\n/, 'the trace saw the node start')
  assert.deepEqual(loadedParts(trace, { ...LAZY, ...LAZY_BY_SETTING }), [])
})

test('a channel with a tracker loads the tracker client, --web the web server, and a passphrase libsodium\'s WebAssembly, when they are used', async (t) => {
  const net = await createTestnet()
  t.after(() => net.close())
  const trace = path.join(scratchDir(t), 'modules.txt')
  const daemon = net.daemon('busy', { args: ['--web'], env: moduleTraceEnv(trace) })
  await daemon.call('identity.setPassphrase', { passphrase: 'sealed at last' })
  const { channelId } = await daemon.call('channels.create', { name: 'lazy', trackers: [net.trackerUrl] })
  await waitUntil(async () => {
    const status = await daemon.call('network.status', {})
    return status.channels.find(c => c.channelId === channelId)?.trackers[0]?.lastAnnounceAt != null
  }, 10_000, 'the first announce')
  assert.equal(await daemon.stop(), 0)
  assert.deepEqual(loadedParts(trace), Object.keys(LAZY))
})

test('a daemon keeps the compiled code of its modules on disk for the next start', async (t) => {
  const net = await createTestnet()
  t.after(() => net.close())
  const tmp = scratchDir(t)
  // Node's default place (os.tmpdir()), with nothing in the environment turning the cache on or off.
  const daemon = net.daemon('cached', { env: { TMPDIR: tmp, NODE_COMPILE_CACHE: undefined, NODE_DISABLE_COMPILE_CACHE: undefined } })
  assert.equal((await daemon.call('identity.status', {})).state, 'ready')
  assert.equal(await daemon.stop(), 0)
  const cache = path.join(tmp, 'node-compile-cache')
  const entries = readdirSync(cache, { recursive: true, withFileTypes: true }).filter(e => e.isFile())
  assert.ok(entries.length > 50, `${entries.length} entries in ${cache}`)
})
