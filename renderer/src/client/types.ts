import type { BitChatClient, Hex } from '../../../core/api/contract.ts'

/** 'refused': the daemon is up but no longer takes this page's token (it was restarted with a new one). */
export type ConnectionState = 'connecting' | 'connected' | 'disconnected' | 'refused'

/** A BitChatClient that also reports whether the link to the core is up. */
export interface ConnectedClient extends BitChatClient {
  onConnection(listener: (state: ConnectionState) => void): () => void
  /** The desktop shell asking to show a channel (a notification or a `.chat` file was opened). */
  onFocusRequest(listener: (channelId: Hex) => void): () => void
  close(): void
}
