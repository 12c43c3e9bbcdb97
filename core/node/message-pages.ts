// messages.list may ask for up to 10,000 messages of up to 8 KiB each: read whole, that is
// hundreds of megabytes for one call. So the store is read a page at a time, newest first, and
// the call is refused (RESULT_TOO_LARGE) as soon as what it read passes the result budget.
import type { MessageInfo } from '../api/contract.ts'
import { BitChatError } from '../api/errors.ts'
import { MAX_RESULT_BYTES } from '../api/params.ts'

const PAGE = 500

/**
 * The newest `limit` messages before `before` (all of them without it), oldest first, read through
 * `read` (same contract, one page) without ever holding much more than `maxBytes` of them.
 */
export function listWithinBudget (
  read: (limit: number, before: string | undefined) => MessageInfo[],
  limit: number,
  before: string | undefined,
  maxBytes = MAX_RESULT_BYTES
): MessageInfo[] {
  const pages: MessageInfo[][] = []
  let count = 0
  let bytes = 0
  let cursor = before
  while (count < limit) {
    const want = Math.min(PAGE, limit - count)
    const page = read(want, cursor)
    for (const message of page) bytes += Buffer.byteLength(JSON.stringify(message)) + 1
    if (bytes > maxBytes) throw BitChatError.resultTooLarge('the messages asked for', maxBytes, 'ask for fewer (a smaller limit)')
    pages.unshift(page)
    count += page.length
    const oldest = page[0]
    if (page.length < want || oldest === undefined) break
    cursor = oldest.messageId
  }
  return pages.flat()
}
