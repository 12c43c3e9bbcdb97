import { createGroupEntry, type GroupMessage } from '../wire/group-message.ts'
import { encodeEntryBody, type EntryBody } from '../wire/entry-kinds.ts'
import { toStoredEntry } from '../history/stored-entry.ts'
import type { Identity } from '../identity/identity.ts'
import type { Store } from '../store/store.ts'
import type { InsertOutcome } from '../store/message-log.ts'
import { BitChatError } from '../api/errors.ts'

export interface OutboxOptions {
  channelId: string
  channelIdBytes: Uint8Array
  identity: Identity
  store: Store
  /** Each of our messages once it is stored, in seq order: time to send it to the members. */
  publish: (message: GroupMessage) => void
}

/**
 * Our own messages in one channel: numbered from a counter kept in memory, signed at once, and
 * stored together, one transaction for all those sent in the same turn of the event loop (group
 * commit). A commit costs ~200 µs whatever it holds, so a script sending a thousand messages in
 * a row no longer pays it a thousand times. A message is published, and its send answered, only
 * once it is stored.
 */
export class Outbox {
  readonly #opts: OutboxOptions
  /** Our next seq and the timestamp of our entry before it; read from the store when unknown. */
  #next: { seq: number; lastTimestamp: number } | null = null
  #waiting: Array<{ message: GroupMessage; resolve: (m: GroupMessage) => void; reject: (err: unknown) => void }> = []
  #flush: NodeJS.Immediate | null = null

  constructor (opts: OutboxOptions) {
    this.#opts = opts
  }

  /** Signs, stores and publishes one entry of ours: a message, a reply, an edit, a deletion, a reaction. */
  send (entry: Exclude<EntryBody, { kind: 'unknown' }>): Promise<GroupMessage> {
    const { store, channelId, channelIdBytes, identity } = this.#opts
    const next = this.#next ?? store.nextEntry(channelId, identity.publicKey)
    const message = createGroupEntry({
      channelId: channelIdBytes,
      author: identity,
      seq: next.seq,
      // Never before our previous message (a clock set back must not reorder our own words).
      timestamp: Math.max(Date.now(), next.lastTimestamp),
      ...encodeEntryBody(entry)
    })
    this.#next = { seq: next.seq + 1, lastTimestamp: message.timestamp }
    this.#flush ??= setImmediate(() => { this.flush() })
    return new Promise((resolve, reject) => { this.#waiting.push({ message, resolve, reject }) })
  }

  /** One of our own messages came back from a peer (we left and joined again): the counter is read anew from the store, with what waits in it. */
  ownMessageArrived (): void {
    this.flush()
    this.#next = null
  }

  /** Stores what waits now; leaving a channel calls it so no send is left unanswered. */
  flush (): void {
    if (this.#flush !== null) clearImmediate(this.#flush)
    this.#flush = null
    const batch = this.#waiting
    this.#waiting = []
    if (batch.length === 0) return
    let outcomes: InsertOutcome[]
    try {
      outcomes = this.#opts.store.insertMessages(this.#opts.channelId, batch.map(({ message }) => toStoredEntry(message, this.#opts.channelId, Date.now())))
    } catch (err) {
      // Nothing of the batch was stored: the seqs are free again.
      this.#next = null
      for (const { reject } of batch) reject(err)
      return
    }
    const stored = batch.filter(({ message, resolve, reject }, i) => {
      if (outcomes[i] === 'stored') {
        resolve(message)
        return true
      }
      // The store held an entry of ours under that seq already (ours from before a leave, not yet back
      // when the counter was read): sending would equivocate. The counter is read anew.
      this.#next = null
      reject(new BitChatError('INTERNAL', `your message clashes with an earlier one of yours under the same number (${message.seq}, from before you left the channel): send it again`))
      return false
    })
    for (const { message } of stored) this.#opts.publish(message)
  }
}
