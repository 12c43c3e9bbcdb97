import type { BitChatEvents, EventName, MethodName, ParamsOf, ResultOf } from '../../../core/api/contract.ts'
import { ApiCallError, toClientErrorCode } from './api-call-error.ts'
import type { ConnectedClient } from './types.ts'

export type IpcOutcome = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } }

/** Exactly what Electron's preload script exposes as `window.bitchat`. */
export interface BitChatBridge {
  call(method: string, params: unknown): Promise<IpcOutcome>
  onEvent(listener: (event: string, payload: unknown) => void): () => void
}

/** The shell's own event on the same channel as the core's (spelled as in electron/renderer-channel.ts). */
export const FOCUS_CHANNEL_EVENT = 'app.focusChannel'

const CHANNEL_ID = /^[0-9a-f]{64}$/

declare global {
  interface Window { bitchat?: BitChatBridge }
}

/** The Electron transport: the main process is always there, so the link never drops. */
export function createIpcClient (bridge: BitChatBridge): ConnectedClient {
  return {
    async call<M extends MethodName> (method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
      const outcome = await bridge.call(method, params)
      if (outcome.ok) return outcome.result as ResultOf<M>
      throw new ApiCallError(toClientErrorCode(outcome.error.code), outcome.error.message)
    },
    on<E extends EventName> (event: E, listener: (payload: BitChatEvents[E]) => void): () => void {
      return bridge.onEvent((name, payload) => {
        if (name === event) listener(payload as BitChatEvents[E])
      })
    },
    onConnection (listener) {
      listener('connected')
      return () => {}
    },
    onFocusRequest (listener) {
      return bridge.onEvent((name, payload) => {
        if (name !== FOCUS_CHANNEL_EVENT || typeof payload !== 'object' || payload === null) return
        const channelId = (payload as { channelId?: unknown }).channelId
        if (typeof channelId === 'string' && CHANNEL_ID.test(channelId)) listener(channelId)
      })
    },
    close () {}
  }
}
