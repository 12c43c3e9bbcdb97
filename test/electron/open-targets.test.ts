import { test } from 'node:test'
import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { createLogger } from '../../core/log.ts'
import { claimSingleInstance, listenForOpenTargets, registerProtocolClient, type LaunchProcess, type LifecycleApp } from '../../electron/app-lifecycle.ts'
import { createChannelOpener } from '../../electron/channel-opener.ts'
import { targetFromOpenFile, targetFromOpenUrl, targetsFromArgv } from '../../electron/open-targets.ts'
import { fixedService } from '../rpc/fixed-service.ts'
import { waitUntil } from '../helpers/wait.ts'

const LINK = 'bitchat:?v=1&n=general&s=' + 'a'.repeat(64)

test('a .chat path in argv is a file target resolved against the working directory', () => {
  assert.deepEqual(targetsFromArgv(['/opt/BitChat/bitchat', 'team.chat'], '/home/alice'), [{ file: '/home/alice/team.chat' }])
  assert.deepEqual(targetsFromArgv(['/opt/BitChat/bitchat', '/tmp/Team.CHAT'], '/'), [{ file: '/tmp/Team.CHAT' }])
})

test('a bitchat: link in argv is a uri target, whatever the scheme case', () => {
  assert.deepEqual(targetsFromArgv(['bitchat', LINK, 'BitChat:?v=1'], '/'), [{ uri: LINK }, { uri: 'BitChat:?v=1' }])
})

test('switches, the executable, the app path and other files are not targets', () => {
  assert.deepEqual(targetsFromArgv(['/usr/bin/electron', '.', '--no-sandbox', '--flag=x.chat', 'notes.txt', 'chat', 'https://x/y.chat'], '/'), [])
})

test('argv yields at most 16 targets', () => {
  assert.equal(targetsFromArgv(Array.from({ length: 40 }, (_, i) => `${i}.chat`), '/').length, 16)
})

test('open-file accepts absolute .chat paths only', () => {
  assert.deepEqual(targetFromOpenFile('/Users/a/x.chat'), { file: '/Users/a/x.chat' })
  assert.equal(targetFromOpenFile('/Users/a/x.txt'), null)
  assert.equal(targetFromOpenFile('x.chat'), null)
})

test('open-url accepts bitchat: links only', () => {
  assert.deepEqual(targetFromOpenUrl(LINK), { uri: LINK })
  assert.equal(targetFromOpenUrl('https://example.com'), null)
})

class FakeApp extends EventEmitter implements LifecycleApp {
  lock = true
  quits = 0
  protocolClients: unknown[][] = []
  requestSingleInstanceLock (): boolean { return this.lock }
  quit (): void { this.quits++ }
  setAsDefaultProtocolClient (...args: unknown[]): boolean { this.protocolClients.push(args); return true }
}

function launch (argv: string[] = ['/opt/BitChat/bitchat']): LaunchProcess {
  return { argv, execPath: '/opt/BitChat/bitchat', cwd: () => '/home/alice' }
}

const preventable = () => {
  const event = { prevented: false, preventDefault () { event.prevented = true } }
  return event
}

/** Wires the router to a channel opener over a test service, as main.ts does. */
function wire (app: FakeApp, proc: LaunchProcess) {
  const service = fixedService()
  const focused: string[] = []
  let secondInstances = 0
  const router = listenForOpenTargets(app, proc, () => { secondInstances++ })
  const opener = createChannelOpener({ service, focusChannel: id => { focused.push(id) }, showError: () => {}, log: createLogger({ write: () => {} }) })
  router.start(opener.open)
  // Focusing is the last step of opening a target: once `count` channels are focused, all are opened.
  const opened = (count: number) => waitUntil(() => focused.length >= count, 2_000, `${count} targets to be opened`)
  return { service, focused, secondInstances: () => secondInstances, opened }
}

const joins = (service: ReturnType<typeof fixedService>) => service.calls.filter(c => c.method === 'channels.join').map(c => c.params)

test('a .chat file in our own argv is joined once started', async () => {
  const app = new FakeApp()
  const { service, focused, opened } = wire(app, launch(['/opt/BitChat/bitchat', 'team.chat']))
  await opened(1)
  assert.deepEqual(joins(service), [{ file: '/home/alice/team.chat' }])
  assert.deepEqual(focused, ['c'.repeat(64)])
})

test('a bitchat: link in our own argv is joined', async () => {
  const app = new FakeApp()
  const { service, opened } = wire(app, launch(['/opt/BitChat/bitchat', LINK]))
  await opened(1)
  assert.deepEqual(joins(service), [{ uri: LINK }])
})

test('open-file is joined and its default handling prevented', async () => {
  const app = new FakeApp()
  const { service, opened } = wire(app, launch())
  const event = preventable()
  app.emit('open-file', event, '/Users/alice/team.chat')
  await opened(1)
  assert.equal(event.prevented, true)
  assert.deepEqual(joins(service), [{ file: '/Users/alice/team.chat' }])
})

test('open-url is joined', async () => {
  const app = new FakeApp()
  const { service, opened } = wire(app, launch())
  app.emit('open-url', preventable(), LINK)
  await opened(1)
  assert.deepEqual(joins(service), [{ uri: LINK }])
})

test('a second instance brings the window forward and its targets are joined', async () => {
  const app = new FakeApp()
  const { service, secondInstances, opened } = wire(app, launch())
  app.emit('second-instance', {}, ['/opt/BitChat/bitchat', 'other.chat', LINK], '/work')
  await opened(2)
  assert.equal(secondInstances(), 1)
  assert.deepEqual(joins(service), [{ file: '/work/other.chat' }, { uri: LINK }])
})

test('targets that arrive before start are joined at start, in order', async () => {
  const app = new FakeApp()
  const router = listenForOpenTargets(app, launch(['/opt/BitChat/bitchat', 'first.chat']), () => {})
  app.emit('open-url', preventable(), LINK)
  const opened: unknown[] = []
  router.start(async target => { opened.push(target) })
  await waitUntil(() => opened.length >= 2, 2_000, 'both targets to be opened')
  assert.deepEqual(opened, [{ file: '/home/alice/first.chat' }, { uri: LINK }])
})

test('a launch without the single-instance lock quits', () => {
  const app = new FakeApp()
  app.lock = false
  assert.equal(claimSingleInstance(app), false)
  assert.equal(app.quits, 1)
  const first = new FakeApp()
  assert.equal(claimSingleInstance(first), true)
  assert.equal(first.quits, 0)
})

test('the bitchat protocol is registered, with the app path when unpackaged', () => {
  const packaged = new FakeApp()
  registerProtocolClient(packaged, launch())
  assert.deepEqual(packaged.protocolClients, [['bitchat']])
  const dev = new FakeApp()
  registerProtocolClient(dev, { ...launch(['/usr/bin/electron', '.']), defaultApp: true, execPath: '/usr/bin/electron' })
  assert.deepEqual(dev.protocolClients, [['bitchat', '/usr/bin/electron', [process.cwd()]]])
})
