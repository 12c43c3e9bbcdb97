// The two IPC channels between the main process and the renderer (electron/preload.cts spells
// the same names: a sandboxed preload cannot import this file).

/** invoke(CALL_CHANNEL, method, params) → `{ ok, result }` or `{ ok: false, error }`. */
export const CALL_CHANNEL = 'bitchat:call'
/** send(EVENT_CHANNEL, name, payload): the core's events, plus the shell's own `app.*` events. */
export const EVENT_CHANNEL = 'bitchat:event'
/** Shell event asking the renderer to show a channel: payload `{ channelId }`. */
export const FOCUS_CHANNEL_EVENT = 'app.focusChannel'

export interface RendererTarget {
  send (channel: string, ...args: unknown[]): void
  isDestroyed (): boolean
}

/** Sends an event to the renderer if there is one to receive it; a closed window simply misses it. */
export function sendRendererEvent (target: RendererTarget | null | undefined, name: string, payload: unknown): void {
  if (target === null || target === undefined || target.isDestroyed()) return
  target.send(EVENT_CHANNEL, name, payload)
}
