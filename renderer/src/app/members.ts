// Who is known in a channel (channels.members), re-read while the members panel shows it.
import type { BitChatClient, Hex } from '../../../core/api/contract.ts'
import { actions } from '../store/store.ts'

const reading = new Set<Hex>()
const readAgain = new Set<Hex>()

/**
 * Re-reads a channel's members. A burst of connections asks once more after the read in flight,
 * not once each. Never rejects: a failed read keeps the last list, and connection problems have their own banner.
 */
export async function loadMembers (client: BitChatClient, channelId: Hex): Promise<void> {
  if (reading.has(channelId)) {
    readAgain.add(channelId)
    return
  }
  reading.add(channelId)
  try {
    do {
      readAgain.delete(channelId)
      try {
        actions().membersListed(channelId, await client.call('channels.members', { channelId }))
      } catch {
        return
      }
    } while (readAgain.has(channelId))
  } finally {
    reading.delete(channelId)
    readAgain.delete(channelId)
  }
}
