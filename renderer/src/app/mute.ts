// Muting a conversation (channels.setMuted): it stops notifying but for mentions of you, and its
// unread count shows subdued; the core keeps the choice and tells every window.
import type { BitChatClient, Hex } from '../../../core/api/contract.ts'
import { errorMessageOf } from '../client/api-call-error.ts'
import { actions } from '../store/store.ts'

export async function setMuted (client: BitChatClient, channelId: Hex, muted: boolean): Promise<void> {
  try {
    actions().channelUpdated(await client.call('channels.setMuted', { channelId, muted }))
    actions().noticePosted('info', muted ? 'Muted: only mentions of you will notify' : 'Unmuted')
  } catch (err) {
    actions().noticePosted('error', `Could not ${muted ? 'mute' : 'unmute'} the conversation`, errorMessageOf(err))
  }
}
