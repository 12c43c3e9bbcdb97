// The generic bridge every transport (JSON-RPC, Electron IPC, WebSocket) is built on:
// an untrusted method name and params go in, a validated call on the typed API comes out.
import type { BitChatApi, BitChatEvents, EventName, MethodName } from './contract.ts'
import { BitChatError } from './errors.ts'
import { checkParams, isMethodName } from './params.ts'

export type EventListener<E extends EventName> = (payload: BitChatEvents[E]) => void
export type AnyEventListener = <E extends EventName>(event: E, payload: BitChatEvents[E]) => void

/** What the core hands to a transport: the API's commands, its events, and shutdown. */
export interface BitChatService {
  readonly api: BitChatApi
  onEvent(listener: AnyEventListener): () => void
  close(): Promise<void>
}

/** Calls `method` on the service after checking that it exists and that `params` fit it. */
export async function dispatch (service: BitChatService, method: unknown, params: unknown): Promise<unknown> {
  if (!isMethodName(method)) {
    const shown = typeof method === 'string' ? JSON.stringify(method).slice(0, 80) : `of type ${typeof method}`
    throw new BitChatError('UNKNOWN_METHOD', `unknown method ${shown}`)
  }
  return await invoke(service.api, method, checkParams(method, params))
}

function invoke<M extends MethodName> (api: BitChatApi, method: M, params: Parameters<BitChatApi[M]>[0]): Promise<unknown> {
  const fn = api[method] as (p: typeof params) => Promise<unknown>
  return fn.call(api, params)
}
