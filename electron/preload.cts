// The renderer's only door to the main process: `window.bitchat` with `call` and `onEvent`, over
// two fixed channels. A sandboxed preload is CommonJS and cannot require our other files, so the
// channel names are spelled here as in electron/renderer-channel.ts (test/electron/preload.test.ts
// checks that they agree).
const { contextBridge, ipcRenderer } = require('electron') as typeof import('electron')

const CALL_CHANNEL = 'bitchat:call'
const EVENT_CHANNEL = 'bitchat:event'
const MAX_METHOD_LENGTH = 64

type CallReply = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } }

function refuse (code: string, message: string): Promise<CallReply> {
  return Promise.resolve({ ok: false, error: { code, message } })
}

function call (method: unknown, params: unknown): Promise<CallReply> {
  if (typeof method !== 'string' || method.length === 0 || method.length > MAX_METHOD_LENGTH) {
    return refuse('UNKNOWN_METHOD', 'method must be a BitChat method name')
  }
  if (params !== undefined && (typeof params !== 'object' || params === null || Array.isArray(params))) {
    return refuse('INVALID_PARAMS', 'params must be an object')
  }
  return ipcRenderer.invoke(CALL_CHANNEL, method, params ?? {}) as Promise<CallReply>
}

function onEvent (listener: unknown): () => void {
  if (typeof listener !== 'function') throw new TypeError('onEvent needs a listener function')
  // The IPC event object (which holds ipcRenderer) never reaches the page: only name and payload.
  const forward = (_event: unknown, name: unknown, payload: unknown): void => {
    if (typeof name === 'string') listener(name, payload)
  }
  ipcRenderer.on(EVENT_CHANNEL, forward)
  return () => { ipcRenderer.removeListener(EVENT_CHANNEL, forward) }
}

contextBridge.exposeInMainWorld('bitchat', { call, onEvent })
