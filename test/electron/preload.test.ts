import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { stripTypeScriptTypes } from 'node:module'
import path from 'node:path'
import vm from 'node:vm'
import { CALL_CHANNEL, EVENT_CHANNEL } from '../../electron/renderer-channel.ts'

// The preload runs in Electron's sandbox as a function of (require, process, exports, module);
// here it runs the same way, with the two Electron modules it may require played by fakes.
const source = stripTypeScriptTypes(readFileSync(path.join(import.meta.dirname, '..', '..', 'electron', 'preload.cts'), 'utf8'))

interface Bridge {
  call (method: unknown, params?: unknown): Promise<unknown>
  onEvent (listener: unknown): () => void
}

function loadPreload () {
  const exposed = new Map<string, unknown>()
  const invoked: unknown[][] = []
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>()
  const required: string[] = []
  const ipcRenderer = {
    invoke: async (...args: unknown[]) => { invoked.push(args); return { ok: true, result: null } },
    on: (channel: string, l: (...args: unknown[]) => void) => { listeners.set(channel, (listeners.get(channel) ?? new Set()).add(l)) },
    removeListener: (channel: string, l: (...args: unknown[]) => void) => { listeners.get(channel)?.delete(l) }
  }
  const contextBridge = { exposeInMainWorld: (key: string, api: unknown) => { exposed.set(key, api) } }
  const fakeRequire = (name: string): unknown => {
    required.push(name)
    if (name !== 'electron') throw new Error(`module not found: ${name}`)
    return { contextBridge, ipcRenderer }
  }
  const fn = vm.runInThisContext(`(function (require, process, exports, module) {${source}\n})`) as (...args: unknown[]) => void
  const exports = {}
  fn(fakeRequire, {}, exports, { exports })
  const emit = (channel: string, ...args: unknown[]): void => { for (const l of listeners.get(channel) ?? []) l({ sender: ipcRenderer }, ...args) }
  return { exposed, invoked, listeners, required, emit, bridge: exposed.get('bitchat') as Bridge }
}

test('the preload exposes only window.bitchat with call and onEvent, requiring only electron', () => {
  const { exposed, required, bridge } = loadPreload()
  assert.deepEqual([...exposed.keys()], ['bitchat'])
  assert.deepEqual(Object.keys(bridge).sort(), ['call', 'onEvent'])
  assert.deepEqual(required, ['electron'])
})

test('call invokes the fixed call channel with the method and params', async () => {
  const { bridge, invoked } = loadPreload()
  assert.deepEqual(await bridge.call('channels.list', {}), { ok: true, result: null })
  await bridge.call('identity.get')
  assert.deepEqual(invoked, [[CALL_CHANNEL, 'channels.list', {}], [CALL_CHANNEL, 'identity.get', {}]])
})

test('call refuses a method that is not a short string without sending anything', async () => {
  const { bridge, invoked } = loadPreload()
  for (const method of [undefined, 5, {}, '', 'x'.repeat(65)]) {
    assert.deepEqual(await bridge.call(method, {}), { ok: false, error: { code: 'UNKNOWN_METHOD', message: 'method must be a BitChat method name' } })
  }
  assert.equal(invoked.length, 0)
})

test('call refuses params that are not an object without sending anything', async () => {
  const { bridge, invoked } = loadPreload()
  for (const params of [null, 'x', 1, []]) {
    assert.deepEqual(await bridge.call('identity.get', params), { ok: false, error: { code: 'INVALID_PARAMS', message: 'params must be an object' } })
  }
  assert.equal(invoked.length, 0)
})

test('onEvent delivers name and payload from the fixed event channel, never the IPC event', () => {
  const { bridge, emit } = loadPreload()
  const got: unknown[][] = []
  bridge.onEvent((...args: unknown[]) => { got.push(args) })
  emit(EVENT_CHANNEL, 'message.received', { text: 'hi' })
  emit(EVENT_CHANNEL, 42, {})
  emit('other', 'x', {})
  assert.deepEqual(got, [['message.received', { text: 'hi' }]])
})

test('onEvent returns an unsubscribe function', () => {
  const { bridge, emit, listeners } = loadPreload()
  const got: unknown[] = []
  const off = bridge.onEvent((name: unknown) => { got.push(name) })
  off()
  emit(EVENT_CHANNEL, 'message.received', {})
  assert.deepEqual(got, [])
  assert.equal(listeners.get(EVENT_CHANNEL)?.size, 0)
})

test('onEvent refuses a listener that is not a function', () => {
  const { bridge } = loadPreload()
  assert.throws(() => bridge.onEvent('alert(1)'), TypeError)
})
