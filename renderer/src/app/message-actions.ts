// What a user does to a message already sent (PROTOCOL §4.7), and saying that they are typing (§4.6).
import type { BitChatClient, Hex, MessageInfo } from '../../../core/api/contract.ts'
import { errorMessageOf } from '../client/api-call-error.ts'
import { actions } from '../store/store.ts'

/** Changes the words of one of our messages; the answer shows at once, before any event. */
export async function editMessage (client: BitChatClient, message: MessageInfo, text: string, mentions: readonly Hex[] = []): Promise<void> {
  const { message: edited } = await client.call('messages.edit', { channelId: message.channelId, messageId: message.messageId, text, ...(mentions.length === 0 ? {} : { mentions: [...mentions] }) })
  actions().messageUpdated(edited)
}

/** Deletes one of our messages for everyone; it shows as deleted at once. */
export async function deleteMessage (client: BitChatClient, message: MessageInfo): Promise<void> {
  await client.call('messages.delete', { channelId: message.channelId, messageId: message.messageId })
  actions().messageUpdated({ ...message, text: '', deleted: true, reactions: [] })
  const mode = actions().composeModes.get(message.channelId)
  if (mode !== undefined && mode.message.messageId === message.messageId) leaveComposeMode(message.channelId)
}

/** Our reaction `emoji` to a message, or takes ours back when it is already that one (a chip clicked again). */
export async function toggleReaction (client: BitChatClient, message: MessageInfo, emoji: string): Promise<void> {
  const mine = message.reactions?.find(r => r.mine)?.emoji
  try {
    const { message: reacted } = await client.call('messages.react', { channelId: message.channelId, messageId: message.messageId, emoji: mine === emoji ? '' : emoji })
    actions().messageUpdated(reacted)
  } catch (err) {
    actions().noticePosted('error', `Could not react: ${errorMessageOf(err)}`)
  }
}

/** The composer answers `message`: its quote shows above, and what is sent next is a reply to it. */
export function startReply (message: MessageInfo): void {
  const mode = actions().composeModes.get(message.channelId)
  if (mode?.kind === 'edit') actions().draftChanged(message.channelId, mode.draft)
  actions().composeModeSet(message.channelId, { kind: 'reply', message })
}

/** The composer takes the words of one of our messages to change them; what was being written waits. */
export function startEdit (message: MessageInfo): void {
  const { composeModes, drafts } = actions()
  const mode = composeModes.get(message.channelId)
  const draft = mode?.kind === 'edit' ? mode.draft : drafts.get(message.channelId) ?? ''
  actions().composeModeSet(message.channelId, { kind: 'edit', message, draft })
  actions().draftChanged(message.channelId, message.text)
}

/** Ends a reply or an edit; an edit gives back what was being written before it. */
export function leaveComposeMode (channelId: Hex): void {
  const mode = actions().composeModes.get(channelId)
  if (mode === undefined) return
  actions().composeModeSet(channelId, null)
  if (mode.kind === 'edit') actions().draftChanged(channelId, mode.draft)
}

/** Our newest message that can still be edited: what Up on an empty composer picks, as in Signal and Slack. */
export function lastEditable (list: readonly MessageInfo[]): MessageInfo | undefined {
  for (let i = list.length - 1; i >= 0; i--) {
    const m = list[i]!
    if (m.own && m.deleted !== true) return m
  }
  return undefined
}

/** Tells the core the user types (it throttles what goes out) or stopped; losing this says nothing worth a notice. */
export function sayTyping (client: BitChatClient, channelId: Hex, typing: boolean): void {
  client.call('messages.typing', { channelId, typing }).catch(() => {})
}
