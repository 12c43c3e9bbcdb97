// Opening what a search found: the conversation, scrolled to the message, wherever it lies in history.
import type { BitChatClient, Hex } from '../../../core/api/contract.ts'
import { actions } from '../store/store.ts'
import { openChannel } from './commands.ts'

/** How many results a search asks for: more than anyone reads, few enough to show at once. */
export const SEARCH_LIMIT = 100
/** Find in a conversation counts its matches up to this many ("500+" beyond). */
export const FIND_LIMIT = 500
/** Typing pauses this long before a search is asked for, so each key does not cost a query. */
export const SEARCH_DEBOUNCE_MS = 200

/**
 * Shows `messageId` in its conversation: where it is loaded already the list just scrolls to it;
 * otherwise the conversation opens with the history around it. `held` keeps it highlighted (find's
 * current match) until the focus is cleared. Returns false when the conversation no longer holds it.
 */
export async function openMessage (client: BitChatClient, channelId: Hex, messageId: Hex, held = false): Promise<boolean> {
  const loaded = (): boolean => actions().messages.get(channelId)?.list.some(m => m.messageId === messageId) === true
  const open = actions().activeChannelId === channelId && loaded()
  actions().messageFocused(channelId, messageId, held)
  if (!open) await openChannel(client, channelId, messageId)
  if (loaded()) return true
  if (actions().messageFocus?.messageId === messageId) actions().messageFocusCleared()
  return false
}
