import { test } from 'node:test'
import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { statSync } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import type { DaemonOptions } from '../../core/daemon/args.ts'
import { runDaemon } from '../../core/daemon/daemon.ts'
import type { NodeOptions } from '../../core/node/options.ts'
import { fixedService } from '../rpc/fixed-service.ts'

function harness (startNode?: (opts: NodeOptions) => Promise<never>) {
  const service = fixedService()
  const started: NodeOptions[] = []
  const stdin = new PassThrough()
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  const signals = new EventEmitter()
  const errors = new EventEmitter()
  const run = (options: Partial<DaemonOptions> = {}) => runDaemon({ dataDir: '/tmp/unused', logLevel: 'error', web: false, dht: false, lan: false, ...options }, {
    startNode: startNode ?? (async (opts) => { started.push(opts); return service }),
    stdin,
    stdout,
    stderr,
    signals,
    errors,
    staticDir: '/nonexistent'
  })
  const text = (s: PassThrough): string => String(s.read() ?? '')
  return { service, started, stdin, stdout, stderr, signals, errors, run, text }
}

test('the node is started with the options and a first-run identity', async () => {
  const h = harness()
  const done = h.run({ dataDir: '/d', port: 4001, host: '127.0.0.1', name: 'alice' })
  h.stdin.end()
  await done
  assert.equal(h.started.length, 1)
  const { log, ...rest } = h.started[0] as NodeOptions
  assert.deepEqual(rest, { dataDir: '/d', port: 4001, host: '127.0.0.1', name: 'alice', createIdentity: true, passphrase: undefined, dht: false, lan: false })
  assert.ok(log)
})

test('with --ask-identity the node starts without creating an identity', async () => {
  const h = harness()
  const done = h.run({ web: false, askIdentity: true })
  h.stdin.end()
  await done
  assert.equal((h.started[0] as NodeOptions).createIdentity, false)
})

test('requests on stdin are answered on stdout, then end of input closes the node with exit code 0', async () => {
  const h = harness()
  const done = h.run()
  h.stdin.end('{"jsonrpc":"2.0","id":1,"method":"identity.get"}\n')
  assert.equal(await done, 0)
  assert.equal(JSON.parse(h.text(h.stdout)).id, 1)
  assert.equal(h.service.closed, true)
})

for (const signal of ['SIGINT', 'SIGTERM']) {
  test(`${signal} closes the node with exit code 0`, async () => {
    const h = harness()
    const done = h.run()
    await new Promise(resolve => setImmediate(resolve))
    h.signals.emit(signal, signal)
    assert.equal(await done, 0)
    assert.equal(h.service.closed, true)
    assert.equal(h.signals.listenerCount(signal), 0)
  })
}

test('the passphrase file\'s first line unlocks the node', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'bitchat-pass-'))
  const file = path.join(dir, 'pass')
  await writeFile(file, 'correct horse\nignored\n')
  const h = harness()
  const done = h.run({ passphraseFile: file })
  h.stdin.end()
  await done
  assert.equal(h.started[0]?.passphrase, 'correct horse')
})

test('an unreadable passphrase file exits 1 without starting the node', async () => {
  const h = harness()
  assert.equal(await h.run({ passphraseFile: '/nonexistent/pass' }), 1)
  assert.equal(h.started.length, 0)
  assert.match(h.text(h.stderr), /bitchat: cannot read the passphrase/)
})

test('a node that fails to start exits 1 with the reason on stderr', async () => {
  const h = harness(async () => { throw new Error('wrong passphrase') })
  assert.equal(await h.run(), 1)
  assert.match(h.text(h.stderr), /cannot start the node: wrong passphrase/)
  assert.equal(h.text(h.stdout), '')
})

test('--web prints the web UI address with its token on stderr and keeps stdout for JSON-RPC', async () => {
  const h = harness()
  const done = h.run({ web: true })
  await new Promise(resolve => { h.stderr.once('readable', resolve) })
  assert.match(h.text(h.stderr), /^web UI: http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{64}\n$/m)
  h.stdin.end()
  assert.equal(await done, 0)
  assert.equal(h.text(h.stdout), '')
})

test('a node that fails to close exits 1 with the reason', async () => {
  const h = harness()
  h.service.close = async () => { throw new Error('database is locked') }
  const done = h.run()
  h.stdin.end()
  assert.equal(await done, 1)
  assert.match(h.text(h.stderr), /did not close cleanly: database is locked/)
})

test('an error that escaped every handler is logged and the daemon keeps answering; the net is gone once it stops', async () => {
  const h = harness()
  const done = h.run()
  assert.equal(h.errors.listenerCount('unhandledRejection'), 1)
  h.errors.emit('unhandledRejection', new Error('a channel broke'))
  h.stdin.end('{"jsonrpc":"2.0","id":1,"method":"identity.get"}\n')
  assert.equal(await done, 0)
  assert.equal(JSON.parse(h.text(h.stdout)).id, 1)
  assert.match(h.text(h.stderr), /unhandled promise rejection; kept running error=Error: a channel broke/)
  assert.equal(h.errors.listenerCount('unhandledRejection') + h.errors.listenerCount('uncaughtException'), 0)
})

/** Runs the daemon with --web on `dataDir` until it prints its address; returns the address and a stop function. */
async function webRun (dataDir: string, logLevel: DaemonOptions['logLevel'] = 'error'): Promise<{ url: string; stderr: string; stop: () => Promise<number> }> {
  const h = harness()
  const done = h.run({ web: true, dataDir, logLevel })
  let stderr = ''
  await new Promise<void>(resolve => {
    h.stderr.on('data', (chunk: Buffer) => {
      stderr += String(chunk)
      if (stderr.includes('web UI: ')) resolve()
    })
  })
  const url = /web UI: (\S+)/.exec(stderr)?.[1] ?? ''
  return { url, stderr, stop: async () => { h.stdin.end(); return await done } }
}

test('--web keeps its port and token across restarts of the same data folder, in an owner-only file', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bitchat-web-'))
  const first = await webRun(dataDir)
  assert.equal(await first.stop(), 0)
  const second = await webRun(dataDir)
  assert.equal(second.url, first.url)
  assert.equal(await second.stop(), 0)
  assert.equal(statSync(path.join(dataDir, 'web-ui.json')).mode & 0o777, 0o600)
  const other = await webRun(await mkdtemp(path.join(tmpdir(), 'bitchat-web-')))
  assert.notEqual(new URL(other.url).hash, new URL(first.url).hash, 'another data folder has its own token')
  await other.stop()
})

test('--web moves to another port, keeping the token, when the last one is taken, and says so', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bitchat-web-'))
  const first = await webRun(dataDir)
  await first.stop()
  const squatter = createServer()
  await new Promise<void>(resolve => { squatter.listen(Number(new URL(first.url).port), '127.0.0.1', resolve) })
  try {
    const second = await webRun(dataDir, 'warn')
    assert.notEqual(new URL(second.url).port, new URL(first.url).port)
    assert.equal(new URL(second.url).hash, new URL(first.url).hash)
    assert.match(second.stderr, /the web UI port of the last run is taken/)
    await second.stop()
    const third = await webRun(dataDir)
    assert.equal(third.url, second.url, 'the new port is the one remembered')
    await third.stop()
  } finally {
    squatter.close()
  }
})
