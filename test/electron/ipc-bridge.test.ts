import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { BitChatError } from '../../core/api/errors.ts'
import { createLogger } from '../../core/log.ts'
import { appUrlMatcher } from '../../electron/app-url.ts'
import { bridgeServiceToIpc, type IpcCallEvent, type IpcMainLike } from '../../electron/ipc-bridge.ts'
import { CALL_CHANNEL, EVENT_CHANNEL } from '../../electron/renderer-channel.ts'
import { CHANNEL_ID, fixedService, message, type FixedService } from '../rpc/fixed-service.ts'

const indexFile = path.resolve('/opt/BitChat/resources/app.asar/dist/renderer/index.html')
const appUrl = pathToFileURL(indexFile).href

class FakeIpcMain implements IpcMainLike {
  handlers = new Map<string, (event: IpcCallEvent, ...args: unknown[]) => unknown>()
  handle (channel: string, listener: (event: IpcCallEvent, ...args: unknown[]) => unknown): void {
    assert.ok(!this.handlers.has(channel), `second handler for ${channel}`)
    this.handlers.set(channel, listener)
  }

  removeHandler (channel: string): void { this.handlers.delete(channel) }

  async invoke (url: string | null, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(CALL_CHANNEL)
    assert.ok(handler)
    return await handler({ senderFrame: url === null ? null : { url } }, ...args)
  }
}

class FakeContents {
  sent: unknown[][] = []
  destroyed = false
  send (channel: string, ...args: unknown[]): void { this.sent.push([channel, ...args]) }
  isDestroyed (): boolean { return this.destroyed }
}

function setup (service: FixedService = fixedService(), logLines: string[] = []) {
  const ipcMain = new FakeIpcMain()
  const contents = new FakeContents()
  let renderer: FakeContents | null = contents
  const dispose = bridgeServiceToIpc({
    service,
    ipcMain,
    isAppUrl: appUrlMatcher(indexFile),
    renderer: () => renderer,
    log: createLogger({ write: l => { logLines.push(l) } })
  })
  return { ipcMain, contents, service, dispose, dropWindow: () => { renderer = null } }
}

test('a call from our page returns the result', async () => {
  const { ipcMain } = setup()
  assert.deepEqual(await ipcMain.invoke(appUrl, 'channels.join', { uri: 'bitchat:?v=1' }), { ok: true, result: { channelId: CHANNEL_ID, name: 'general' } })
})

test('our page with a fragment or query is still ours', async () => {
  const { ipcMain } = setup()
  assert.equal((await ipcMain.invoke(`${appUrl}#/channel/x`, 'identity.get', {}) as { ok: boolean }).ok, true)
  assert.equal((await ipcMain.invoke(`${appUrl}?a=1`, 'identity.get', {}) as { ok: boolean }).ok, true)
})

test('a void result comes back as null', async () => {
  const { ipcMain } = setup()
  assert.deepEqual(await ipcMain.invoke(appUrl, 'channels.markRead', { channelId: CHANNEL_ID }), { ok: true, result: null })
})

test('an unknown method is refused with UNKNOWN_METHOD', async () => {
  const { ipcMain, service } = setup()
  const reply = await ipcMain.invoke(appUrl, 'fs.readFile', { path: '/etc/passwd' }) as { ok: false; error: { code: string } }
  assert.equal(reply.ok, false)
  assert.equal(reply.error.code, 'UNKNOWN_METHOD')
  assert.equal(service.calls.length, 0)
})

test('a method name that is not a string is refused with UNKNOWN_METHOD', async () => {
  const { ipcMain } = setup()
  const reply = await ipcMain.invoke(appUrl, { toString: 'x' }, {}) as { ok: false; error: { code: string } }
  assert.equal(reply.error.code, 'UNKNOWN_METHOD')
})

test('bad params are refused with INVALID_PARAMS before reaching the core', async () => {
  const { ipcMain, service } = setup()
  const reply = await ipcMain.invoke(appUrl, 'messages.send', { channelId: CHANNEL_ID, text: 'hi', extra: 1 }) as { ok: false; error: { code: string; message: string } }
  assert.deepEqual(reply, { ok: false, error: { code: 'INVALID_PARAMS', message: 'params.extra is not a known parameter' } })
  assert.equal(service.calls.length, 0)
})

test('a BitChatError from the core crosses as its code and message', async () => {
  const service = fixedService({ 'channels.share': async () => { throw BitChatError.channelNotFound(CHANNEL_ID) } })
  const { ipcMain } = setup(service)
  assert.deepEqual(await ipcMain.invoke(appUrl, 'channels.share', { channelId: CHANNEL_ID }), { ok: false, error: { code: 'CHANNEL_NOT_FOUND', message: `no joined channel ${CHANNEL_ID}` } })
})

test('an unexpected error crosses as INTERNAL without its details, which are logged', async () => {
  const log: string[] = []
  const service = fixedService({ 'peers.list': async () => { throw new Error('EACCES /home/alice/secret') } })
  const { ipcMain } = setup(service, log)
  const reply = await ipcMain.invoke(appUrl, 'peers.list', { channelId: CHANNEL_ID }) as { ok: false; error: { code: string; message: string } }
  assert.equal(reply.error.code, 'INTERNAL')
  assert.doesNotMatch(reply.error.message, /alice|EACCES/)
  assert.ok(log.some(l => l.includes('EACCES /home/alice/secret')))
})

test('calls from a foreign page are refused without reaching the core', async () => {
  const { ipcMain, service } = setup()
  for (const url of ['https://evil.example/', 'file:///tmp/evil.html', `${appUrl.replace('index.html', 'other.html')}`, 'about:blank', 'not a url', '']) {
    const reply = await ipcMain.invoke(url, 'identity.get', {}) as { ok: false; error: { code: string } }
    assert.equal(reply.ok, false, url)
  }
  assert.equal(service.calls.length, 0)
})

test('calls without a sender frame are refused', async () => {
  const { ipcMain, service } = setup()
  assert.equal((await ipcMain.invoke(null, 'identity.get', {}) as { ok: boolean }).ok, false)
  assert.equal(service.calls.length, 0)
})

test('a frame that throws when asked for its URL is refused', async () => {
  const { ipcMain } = setup()
  const handler = ipcMain.handlers.get(CALL_CHANNEL)
  const disposed = { get senderFrame (): { url: string } { throw new Error('Render frame was disposed') } }
  const reply = await handler?.(disposed, 'identity.get', {}) as { ok: boolean }
  assert.equal(reply.ok, false)
})

test('events are forwarded to the window on the event channel', () => {
  const { service, contents } = setup()
  service.emit('message.received', message())
  assert.deepEqual(contents.sent, [[EVENT_CHANNEL, 'message.received', message()]])
})

test('events are dropped while there is no window, or it is destroyed', () => {
  const { service, contents, dropWindow } = setup()
  contents.destroyed = true
  service.emit('channel.removed', { channelId: CHANNEL_ID })
  dropWindow()
  service.emit('channel.removed', { channelId: CHANNEL_ID })
  assert.deepEqual(contents.sent, [])
})

test('dispose removes the handler and stops events', () => {
  const { service, ipcMain, dispose } = setup()
  dispose()
  assert.equal(ipcMain.handlers.size, 0)
  assert.equal(service.listenerCount(), 0)
})
