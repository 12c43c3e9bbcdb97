import { errorCodeOf, errorMessageOf } from '../client/api-call-error.ts'
import type { ConnectedClient } from '../client/types.ts'
import { actions } from '../store/store.ts'
import { focusChannel, refreshAll } from './commands.ts'
import { bindEvents } from './events.ts'

/** Wires a client to the store for the life of the window: events in, a full reload on every (re)connect. */
export function startSession (client: ConnectedClient): () => void {
  const unbind = bindEvents(client)
  const offConnection = client.onConnection(state => {
    actions().connectionChanged(state)
    if (state !== 'connected') return
    refreshAll(client).catch((err: unknown) => {
      // A drop during the reload is already shown by the banner, and the next connect reloads again.
      if (errorCodeOf(err) === 'DISCONNECTED') return
      actions().noticePosted('error', `Could not reach BitChat: ${errorMessageOf(err)}`)
    })
  })
  const offFocus = client.onFocusRequest(channelId => {
    focusChannel(client, channelId).catch((err: unknown) => {
      actions().noticePosted('error', `Could not open the channel: ${errorMessageOf(err)}`)
    })
  })
  return () => {
    offFocus()
    offConnection()
    unbind()
  }
}
