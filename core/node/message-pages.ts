// messages.list may ask for up to 10,000 messages of up to 8 KiB each: read whole, that is
// hundreds of megabytes for one call. So the store is read a page at a time, and the call is
// refused (RESULT_TOO_LARGE) as soon as what it read passes the result budget.
import type { MessageInfo } from '../api/contract.ts'
import { BitChatError } from '../api/errors.ts'
import { MAX_RESULT_BYTES } from '../api/params.ts'
import type { MessagePageAt } from '../store/types.ts'

const PAGE = 500

/** One page of the store, oldest first: the newest `limit` before `at.before` (or of all), or the oldest `limit` after `at.after` / from `at.from`. */
export type PageReader = (limit: number, at: MessagePageAt) => MessageInfo[]

/** Where the messages asked for lie (messages.list): at most one of the three; none is the newest. */
export interface ListAt {
  before?: string
  after?: string
  around?: string
}

class Budget {
  #bytes = 0
  readonly maxBytes: number
  constructor (maxBytes: number) { this.maxBytes = maxBytes }

  count (page: readonly MessageInfo[]): void {
    for (const message of page) this.#bytes += Buffer.byteLength(JSON.stringify(message)) + 1
    if (this.#bytes > this.maxBytes) throw BitChatError.resultTooLarge('the messages asked for', this.maxBytes, 'ask for fewer (a smaller limit)')
  }
}

/** Up to `limit` messages going back from `before` (from the newest without it), oldest first. */
function older (read: PageReader, limit: number, before: string | undefined, budget: Budget): MessageInfo[] {
  const pages: MessageInfo[][] = []
  let count = 0
  let cursor = before
  while (count < limit) {
    const want = Math.min(PAGE, limit - count)
    const page = read(want, cursor === undefined ? {} : { before: cursor })
    budget.count(page)
    pages.unshift(page)
    count += page.length
    const oldest = page[0]
    if (page.length < want || oldest === undefined) break
    cursor = oldest.messageId
  }
  return pages.flat()
}

/** Up to `limit` messages going forward from `at` (after it, or from it included), oldest first. */
function newer (read: PageReader, limit: number, at: { after: string } | { from: string }, budget: Budget): MessageInfo[] {
  const pages: MessageInfo[][] = []
  let count = 0
  let cursor: MessagePageAt = at
  while (count < limit) {
    const want = Math.min(PAGE, limit - count)
    const page = read(want, cursor)
    budget.count(page)
    pages.push(page)
    count += page.length
    const newest = page.at(-1)
    if (page.length < want || newest === undefined) break
    cursor = { after: newest.messageId }
  }
  return pages.flat()
}

/**
 * `limit` messages, oldest first, read through `read` without ever holding much more than
 * `maxBytes` of them: the newest (before `at.before` when given), the oldest after `at.after`, or
 * the message `at.around` with as many older as newer ones beside it (more of one side where the
 * other runs out). A message the channel does not hold gives none.
 */
export function listWithinBudget (read: PageReader, limit: number, at: ListAt = {}, maxBytes = MAX_RESULT_BYTES): MessageInfo[] {
  const budget = new Budget(maxBytes)
  if (at.after !== undefined) return newer(read, limit, { after: at.after }, budget)
  if (at.around === undefined) return older(read, limit, at.before, budget)
  const wanted = limit - Math.floor(limit / 2)
  const later = newer(read, wanted, { from: at.around }, budget)
  if (later[0]?.messageId !== at.around) return []
  const earlier = older(read, limit - later.length, at.around, budget)
  const rest = limit - earlier.length - later.length
  // Near the start of the channel the newer side takes what the older could not fill; a short newer side has nothing more.
  const last = later.at(-1)!
  return rest > 0 && later.length === wanted ? [...earlier, ...later, ...newer(read, rest, { after: last.messageId }, budget)] : [...earlier, ...later]
}
