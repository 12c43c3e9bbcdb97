import type { BitChatClient, Hex } from '../../../core/api/contract.ts'

export type ConnectionState = 'connecting' | 'connected' | 'disconnected'

/** A BitChatClient that also reports whether the link to the core is up. */
export interface ConnectedClient extends BitChatClient {
  onConnection(listener: (state: ConnectionState) => void): () => void
  /** The desktop shell asking to show a channel (a notification or a `.chat` file was opened). */
  onFocusRequest(listener: (channelId: Hex) => void): () => void
  close(): void
}
