// Receipts in one channel (PROTOCOL §4.5), both ways. Members tell us how far they hold and have read
// our messages: kept in memory, raised only, written to the store and announced at most once a second
// (a member sending receipts as fast as it can costs a map update each). We tell each author we are
// linked with how far we hold theirs (after new ones are stored, when the link comes up) and how far
// we have read them (when the channel is marked read, if read receipts are on).
import type { BitChatEvents, Hex, MessageInfo, ReceiptInfo } from '../api/contract.ts'
import { fromHex, toHex } from '../codec/hex.ts'
import type { Store } from '../store/store.ts'
import { encodeReceipt, type ReceiptBody } from '../wire/messages.ts'
import { unrefTimer } from '../timers.ts'
import { errorMessage } from '../error-message.ts'
import type { Logger } from '../log.ts'

/** Members whose receipts are kept per channel; the least recently updated make way. */
const MAX_MEMBERS = 1024
/** Incoming receipts are written and announced at most this often. */
const FLUSH_MS = 1_000
/** Our receipt to an author waits this long after new entries of theirs, so a burst sends one. */
const SEND_DELAY_MS = 500

export interface ReceiptsOptions {
  channelId: Hex
  store: Store
  ownKey: Uint8Array
  readReceipts: () => boolean
  /** When the channel was last marked read (ms), 0 for never. */
  lastReadAt: () => number
  /** Sends on the link to this member, if there is one; false when there is none. */
  send: (keyHex: string, frame: Uint8Array) => boolean
  emit: (payload: BitChatEvents['receipt']) => void
  log: Logger
}

export class Receipts {
  readonly #opts: ReceiptsOptions
  readonly #theirs = new Map<string, ReceiptBody>()
  readonly #dirty = new Set<string>()
  readonly #due = new Set<string>()
  /** What we last told each linked author, so an unchanged position is not sent again. */
  readonly #told = new Map<string, ReceiptBody>()
  #flushTimer: NodeJS.Timeout | null = null
  #sendTimer: NodeJS.Timeout | null = null

  constructor (opts: ReceiptsOptions) {
    this.#opts = opts
    for (const r of opts.store.listReceipts(opts.channelId, MAX_MEMBERS)) this.#theirs.set(toHex(r.member), { delivered: r.delivered, read: r.read })
  }

  /** A member's RECEIPT for our messages: raised, never lowered, and capped at what we have written. */
  received (keyHex: string, receipt: ReceiptBody): void {
    const known = this.#theirs.get(keyHex) ?? { delivered: 0, read: 0 }
    const delivered = Math.max(known.delivered, receipt.delivered)
    const next = { delivered, read: Math.min(delivered, Math.max(known.read, receipt.read)) }
    if (next.delivered === known.delivered && next.read === known.read) return
    if (!this.#theirs.has(keyHex) && this.#theirs.size >= MAX_MEMBERS) return
    this.#theirs.set(keyHex, next)
    this.#dirty.add(keyHex)
    this.#flushSoon()
  }

  #flushSoon (): void {
    this.#flushTimer ??= unrefTimer(() => {
      this.#flushTimer = null
      try {
        this.#flush()
      } catch (err) {
        // Kept in memory and tried again (a full disk may have room later).
        this.#opts.log.warn('could not save receipts', { error: errorMessage(err) })
        this.#flushSoon()
      }
    }, FLUSH_MS)
  }

  /** Entries of these authors were stored: each linked one hears how far we hold theirs, shortly. */
  stored (authors: Iterable<string>): void {
    for (const author of authors) this.#due.add(author)
    this.#sendSoon()
  }

  /** A link to this member came up: it hears where we stand with its messages. */
  linked (keyHex: string): void {
    this.#told.delete(keyHex)
    this.#due.add(keyHex)
    this.#sendSoon()
  }

  /** The channel was read: every linked author hears how far (when read receipts are on). */
  read (authors: Iterable<string>): void {
    if (!this.#opts.readReceipts()) return
    this.stored(authors)
  }

  /** The state of one of our messages, from the receipts members sent. */
  stateOf (seq: number): Pick<MessageInfo, 'state' | 'deliveredTo' | 'readBy'> {
    let deliveredTo = 0
    let readBy = 0
    for (const r of this.#theirs.values()) {
      if (r.delivered >= seq) deliveredTo++
      if (r.read >= seq) readBy++
    }
    return { state: readBy > 0 ? 'read' : deliveredTo > 0 ? 'delivered' : 'sent', deliveredTo, readBy }
  }

  list (): ReceiptInfo[] {
    const written = this.#written()
    return [...this.#theirs].map(([publicKey, r]) => ({ publicKey, delivered: Math.min(r.delivered, written), read: Math.min(r.read, written) }))
  }

  /** Our last seq here: nobody holds more of ours than we ever wrote. */
  #written (): number {
    return this.#opts.store.nextEntry(this.#opts.channelId, this.#opts.ownKey).seq - 1
  }

  /** Sends nothing more; what members told us is written now. */
  stop (): void {
    if (this.#sendTimer !== null) clearTimeout(this.#sendTimer)
    if (this.#flushTimer !== null) {
      clearTimeout(this.#flushTimer)
      try {
        this.#flush()
      } catch (err) {
        this.#opts.log.warn('could not save receipts', { error: errorMessage(err) })
      }
    }
  }

  #flush (): void {
    const { store, channelId } = this.#opts
    const written = this.#written()
    const rows = [...this.#dirty].map(key => {
      const r = this.#theirs.get(key)!
      const capped = { delivered: Math.min(r.delivered, written), read: Math.min(r.read, written) }
      this.#theirs.set(key, capped)
      return { member: fromHex(key), ...capped }
    })
    store.saveReceipts(channelId, rows)
    this.#dirty.clear()
    for (const row of rows) this.#opts.emit({ channelId, publicKey: toHex(row.member), delivered: row.delivered, read: row.read })
  }

  #sendSoon (): void {
    this.#sendTimer ??= unrefTimer(() => {
      this.#sendTimer = null
      try {
        this.#sendDue()
      } catch (err) {
        this.#opts.log.warn('could not send receipts', { error: errorMessage(err) })
      }
    }, SEND_DELAY_MS)
  }

  #sendDue (): void {
    const { store, channelId } = this.#opts
    const readAt = this.#opts.readReceipts() ? this.#opts.lastReadAt() : 0
    for (const author of this.#due) {
      const key = fromHex(author)
      const delivered = store.heldPrefix(channelId, key)
      const ours = { delivered, read: readAt === 0 ? 0 : Math.min(delivered, store.readUpTo(channelId, key, readAt)) }
      const told = this.#told.get(author)
      if (told !== undefined && told.delivered === ours.delivered && told.read === ours.read) continue
      if (this.#opts.send(author, encodeReceipt(ours))) this.#told.set(author, ours)
    }
    this.#due.clear()
  }
}
