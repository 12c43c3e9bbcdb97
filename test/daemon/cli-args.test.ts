import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { parseArgs, UsageError } from '../../core/daemon/args.ts'

const root = path.resolve(import.meta.dirname, '..', '..')

test('daemon with only --data-dir gets the defaults', () => {
  assert.deepEqual(parseArgs(['daemon', '--data-dir', '/tmp/d']), { command: 'daemon', options: { dataDir: '/tmp/d', logLevel: 'info', web: false, dht: true, lan: true } })
})

test('every daemon option is parsed', () => {
  const command = parseArgs(['daemon', '--data-dir', 'd', '--port', '4000', '--host', '127.0.0.1', '--name', 'alice',
    '--passphrase-file', 'p.txt', '--log-level', 'debug', '--web', '--web-port', '8080'])
  assert.deepEqual(command, {
    command: 'daemon',
    options: { dataDir: 'd', port: 4000, host: '127.0.0.1', name: 'alice', passphraseFile: 'p.txt', logLevel: 'debug', web: true, webPort: 8080, dht: true, lan: true }
  })
})

test('--flag=value works like --flag value', () => {
  assert.deepEqual(parseArgs(['daemon', '--data-dir=d', '--port=0']), { command: 'daemon', options: { dataDir: 'd', port: 0, logLevel: 'info', web: false, dht: true, lan: true } })
})

test('help, --help and -h ask for help', () => {
  for (const argv of [['help'], ['--help'], ['-h'], ['daemon', '--help']]) assert.deepEqual(parseArgs(argv), { command: 'help' }, argv.join(' '))
})

test('version and --version ask for the version', () => {
  assert.deepEqual(parseArgs(['version']), { command: 'version' })
  assert.deepEqual(parseArgs(['--version']), { command: 'version' })
})

const refused: Array<[string, string[], RegExp]> = [
  ['no command', [], /no command/],
  ['an unknown command', ['serve'], /unknown command/],
  ['an unknown flag', ['daemon', '--data-dir', 'd', '--verbose'], /--verbose/],
  ['a missing --data-dir', ['daemon'], /--data-dir/],
  ['an empty --data-dir', ['daemon', '--data-dir', ''], /--data-dir/],
  ['a flag without its value', ['daemon', '--data-dir'], /data-dir/],
  ['a non-numeric port', ['daemon', '--data-dir', 'd', '--port', 'http'], /--port/],
  ['a port out of range', ['daemon', '--data-dir', 'd', '--port', '65536'], /--port/],
  ['a negative port', ['daemon', '--data-dir', 'd', '--port=-1'], /--port/],
  ['a fractional port', ['daemon', '--data-dir', 'd', '--port', '80.5'], /--port/],
  ['an unknown log level', ['daemon', '--data-dir', 'd', '--log-level', 'trace'], /--log-level/],
  ['--web-port without --web', ['daemon', '--data-dir', 'd', '--web-port', '80'], /needs --web/],
  ['a name too long', ['daemon', '--data-dir', 'd', '--name', 'x'.repeat(65)], /--name/],
  ['a blank name', ['daemon', '--data-dir', 'd', '--name', ' '], /--name/],
  ['a repeated flag', ['daemon', '--data-dir', 'a', '--data-dir', 'b'], /more than once/],
  ['an extra argument', ['daemon', '--data-dir', 'd', 'extra'], /unexpected argument/],
  ['options after version', ['version', '--web'], /no options/],
  ['a value given to a switch', ['daemon', '--data-dir', 'd', '--web=yes'], /web/]
]

for (const [what, argv, message] of refused) {
  test(`${what} is a usage error`, () => {
    assert.throws(() => parseArgs(argv), (err: unknown) => err instanceof UsageError && message.test(err.message))
  })
}

function cli (...args: string[]) {
  return spawnSync(process.execPath, [path.join(root, 'core', 'daemon', 'cli.ts'), ...args], { encoding: 'utf8' })
}

test('the CLI exits 2 with the usage on stderr for a bad flag', () => {
  const run = cli('daemon', '--data-dir', 'd', '--bogus')
  assert.equal(run.status, 2)
  assert.equal(run.stdout, '')
  assert.match(run.stderr, /bitchat: .*--bogus[\s\S]*Usage:/)
})

test('the CLI prints help and the version and exits 0', () => {
  const help = cli('help')
  assert.equal(help.status, 0)
  assert.match(help.stdout, /bitchat daemon --data-dir DIR/)
  const version = cli('version')
  assert.equal(version.status, 0)
  assert.match(version.stdout, /^bitchat \d+\.\d+\.\d+\n$/)
})

test('bin/bitchat runs the CLI with the project\'s own Node when none is on PATH', () => {
  const run = spawnSync(path.join(root, 'bin', 'bitchat'), ['version'], { encoding: 'utf8', env: { ...process.env, PATH: '/usr/bin:/bin' } })
  assert.equal(run.status, 0, run.stderr)
  assert.match(run.stdout, /^bitchat \d+\.\d+\.\d+\n$/)
})

test('discovery flags turn the DHT and LAN discovery off or point the DHT at given nodes', () => {
  assert.deepEqual(parseArgs(['daemon', '--data-dir', 'd', '--no-dht', '--no-lan']), { command: 'daemon', options: { dataDir: 'd', logLevel: 'info', web: false, dht: false, lan: false } })
  assert.deepEqual(parseArgs(['daemon', '--data-dir', 'd', '--dht-bootstrap', '127.0.0.1:6881, router.example.org:25401']), { command: 'daemon', options: { dataDir: 'd', logLevel: 'info', web: false, dht: true, lan: true, dhtBootstrap: ['127.0.0.1:6881', 'router.example.org:25401'] } })
  assert.throws(() => parseArgs(['daemon', '--data-dir', 'd', '--dht-bootstrap', 'nohost']), UsageError)
  assert.throws(() => parseArgs(['daemon', '--data-dir', 'd', '--dht-bootstrap', 'h:70000']), UsageError)
  assert.throws(() => parseArgs(['daemon', '--data-dir', 'd', '--no-dht', '--dht-bootstrap', 'h:1']), UsageError)
})

test('--lan-interface takes an IP address and needs LAN discovery on', () => {
  assert.deepEqual(parseArgs(['daemon', '--data-dir', 'd', '--lan-interface', '127.0.0.1']), { command: 'daemon', options: { dataDir: 'd', logLevel: 'info', web: false, dht: true, lan: true, lanInterface: '127.0.0.1' } })
  assert.throws(() => parseArgs(['daemon', '--data-dir', 'd', '--lan-interface', 'eth0']), UsageError)
  assert.throws(() => parseArgs(['daemon', '--data-dir', 'd', '--no-lan', '--lan-interface', '127.0.0.1']), UsageError)
})

test('--no-listen takes no incoming connections and --no-relay relays for nobody', () => {
  assert.deepEqual(parseArgs(['daemon', '--data-dir', 'd', '--no-listen', '--no-relay']), { command: 'daemon', options: { dataDir: 'd', logLevel: 'info', web: false, dht: true, lan: true, acceptIncoming: false, relayForOthers: false } })
  assert.throws(() => parseArgs(['daemon', '--data-dir', 'd', '--no-relay=yes']), UsageError)
})

test('--relay-only hides the address, --no-relay-only stops hiding it, and both at once is a usage error', () => {
  assert.deepEqual(parseArgs(['daemon', '--data-dir', 'd', '--relay-only']), { command: 'daemon', options: { dataDir: 'd', logLevel: 'info', web: false, dht: true, lan: true, relayOnly: true } })
  assert.deepEqual(parseArgs(['daemon', '--data-dir', 'd', '--no-relay-only']), { command: 'daemon', options: { dataDir: 'd', logLevel: 'info', web: false, dht: true, lan: true, relayOnly: false } })
  assert.throws(() => parseArgs(['daemon', '--data-dir', 'd', '--relay-only', '--no-relay-only']), UsageError)
})

test('--ask-identity leaves the first-run identity to a client (the web UI, a script)', () => {
  assert.deepEqual(parseArgs(['daemon', '--data-dir', 'd', '--web', '--ask-identity']), { command: 'daemon', options: { dataDir: 'd', logLevel: 'info', web: true, dht: true, lan: true, askIdentity: true } })
  assert.deepEqual(parseArgs(['daemon', '--data-dir', 'd', '--ask-identity']), { command: 'daemon', options: { dataDir: 'd', logLevel: 'info', web: false, dht: true, lan: true, askIdentity: true } })
})

test('--dht-bootstrap refuses what the DHT would refuse at start: IPv6 literals and padded ports', () => {
  assert.throws(() => parseArgs(['daemon', '--data-dir', 'd', '--dht-bootstrap', '[::1]:6881']), UsageError)
  assert.throws(() => parseArgs(['daemon', '--data-dir', 'd', '--dht-bootstrap', 'h:06881']), UsageError)
})

test('--proxy takes an HTTP or SOCKS5 proxy URL and --no-proxy clears the setting', () => {
  const base = { dataDir: 'd', logLevel: 'info', web: false, dht: true, lan: true }
  assert.deepEqual(parseArgs(['daemon', '--data-dir', 'd', '--proxy', 'socks5://127.0.0.1:9050']), { command: 'daemon', options: { ...base, proxy: 'socks5://127.0.0.1:9050' } })
  assert.deepEqual(parseArgs(['daemon', '--data-dir', 'd', '--no-proxy']), { command: 'daemon', options: { ...base, proxy: '' } })
  assert.throws(() => parseArgs(['daemon', '--data-dir', 'd', '--proxy', '127.0.0.1:9050']), /--proxy: a proxy is written/)
  assert.throws(() => parseArgs(['daemon', '--data-dir', 'd', '--proxy', 'socks5://127.0.0.1:0']), /port is 1 to 65535/)
  assert.throws(() => parseArgs(['daemon', '--data-dir', 'd', '--proxy', 'http://p:1', '--no-proxy']), /contradict/)
})
