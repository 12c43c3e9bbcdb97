// The generic bridge from the BitChat service to the renderer: one invoke channel carries every
// API call through dispatch() (which validates the method and params), one event channel
// carries every event. The renderer is treated as untrusted like any other client.
import type { ApiError } from '../core/api/contract.ts'
import type { BitChatService } from '../core/api/service.ts'
import { dispatch } from '../core/api/service.ts'
import type { Logger } from '../core/log.ts'
import { toPublicError } from '../core/rpc/public-error.ts'
import { CALL_CHANNEL, sendRendererEvent } from './renderer-channel.ts'
import type { RendererTarget } from './renderer-channel.ts'

export interface IpcCallEvent {
  readonly senderFrame: { readonly url: string } | null
}

export interface IpcMainLike {
  handle (channel: string, listener: (event: IpcCallEvent, ...args: unknown[]) => unknown): void
  removeHandler (channel: string): void
}

export type CallReply = { ok: true; result: unknown } | { ok: false; error: ApiError }

export interface IpcBridgeOptions {
  service: BitChatService
  ipcMain: IpcMainLike
  /** True for the URL of our own renderer page. */
  isAppUrl: (url: string) => boolean
  /** The window's webContents, when there is a window. */
  renderer: () => RendererTarget | null
  log: Logger
}

/** Connects the service to IPC; the returned function disconnects it. */
export function bridgeServiceToIpc (opts: IpcBridgeOptions): () => void {
  const { service, ipcMain, isAppUrl, log } = opts
  ipcMain.handle(CALL_CHANNEL, async (event, method, params): Promise<CallReply> => {
    const url = frameUrl(event)
    if (url === null || !isAppUrl(url)) {
      log.warn('refused an IPC call from a page that is not BitChat', { url })
      return { ok: false, error: { code: 'FORBIDDEN', message: 'refused: calls are only accepted from the BitChat window' } }
    }
    if (typeof method !== 'string') return { ok: false, error: { code: 'UNKNOWN_METHOD', message: 'method must be a string' } }
    try {
      const result = await dispatch(service, method, params)
      return { ok: true, result: result ?? null }
    } catch (err) {
      return { ok: false, error: toPublicError(err, log, { method: method.slice(0, 80) }) }
    }
  })
  const unsubscribe = service.onEvent((name, payload) => { sendRendererEvent(opts.renderer(), name, payload) })
  return () => {
    ipcMain.removeHandler(CALL_CHANNEL)
    unsubscribe()
  }
}

function frameUrl (event: IpcCallEvent): string | null {
  try {
    return event.senderFrame?.url ?? null
  } catch {
    // Electron throws when the frame was disposed before we looked: treat it as unknown.
    return null
  }
}
