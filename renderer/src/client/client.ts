import { createIpcClient } from './ipc-client.ts'
import type { ConnectedClient } from './types.ts'
import { createWsClient, wsUrlFromLocation } from './ws-client.ts'

/** Electron's preload bridge when present, otherwise the daemon's WebSocket for the page it served. */
export function createClient (): ConnectedClient {
  if (window.bitchat !== undefined) return createIpcClient(window.bitchat)
  return createWsClient({ url: wsUrlFromLocation(window.location) })
}
