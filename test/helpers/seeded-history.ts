// A channel's history made without a network: signed by one author, written straight into a data
// folder's store (as if the holder had received it), and counted in another node's store.
import path from 'node:path'
import Database, { type Statement } from 'better-sqlite3'
import type { Hex } from '../../core/api/contract.ts'
import { fromHex } from '../../core/codec/hex.ts'
import type { Identity } from '../../core/identity/identity.ts'
import { Store } from '../../core/store/store.ts'
import type { StoredMessage } from '../../core/store/types.ts'
import { createGroupMessage, decodeGroupMessage, verifyGroupMessage } from '../../core/wire/group-message.ts'

/** The store file of a node's data folder. */
const storePath = (dataDir: string): string => path.join(dataDir, 'bitchat.db')

/** `count` signed messages of about 80 bytes of text, one author, seq 1…count, stamped a millisecond apart up to now. */
export function signHistory (channelId: Hex, author: Identity, count: number): Uint8Array[] {
  const channel = fromHex(channelId)
  const start = Date.now() - count
  return Array.from({ length: count }, (_, i) => createGroupMessage({ channelId: channel, author, seq: i + 1, timestamp: start + i, text: `history ${i} `.padEnd(80, '.') }).raw)
}

/** What a node stores for a raw message it accepted. */
function toStored (channelId: Hex, raw: Uint8Array): StoredMessage {
  const m = decodeGroupMessage(raw)
  return { messageId: m.id, channelId, author: m.author, seq: m.seq, timestamp: m.timestamp, receivedAt: Date.now(), kind: m.kind, body: m.text, raw: m.raw }
}

/** Writes `raws` into the (stopped) node's store, in transactions of 5,000. */
export function seedHistory (dataDir: string, channelId: Hex, raws: readonly Uint8Array[]): void {
  const store = Store.open(storePath(dataDir))
  try {
    for (let i = 0; i < raws.length; i += 5000) store.insertMessages(channelId, raws.slice(i, i + 5000).map(raw => toStored(channelId, raw)))
  } finally {
    store.close()
  }
}

/**
 * Milliseconds to decode, verify and store `raws` in a fresh store with no network, in batches of 128
 * as a receiver takes them: the floor under any catch-up.
 */
export function verifyAndStoreAlone (dataDir: string, channelId: Hex, raws: readonly Uint8Array[]): number {
  const store = Store.open(path.join(dataDir, 'floor.db'))
  try {
    store.addChannel({ channelId, name: 'floor', chatFile: new Uint8Array([1]), joinedAt: 0 })
    const channel = fromHex(channelId)
    const start = performance.now()
    for (let i = 0; i < raws.length; i += 128) {
      const batch = raws.slice(i, i + 128).map(raw => decodeGroupMessage(raw)).filter(m => verifyGroupMessage(m, channel))
      store.insertMessages(channelId, batch.map(m => ({ messageId: m.id, channelId, author: m.author, seq: m.seq, timestamp: m.timestamp, receivedAt: 0, kind: m.kind, body: m.text, raw: m.raw })))
    }
    return performance.now() - start
  } finally {
    store.close()
  }
}

/**
 * Reads how many messages of a channel a running node has stored, from its store file: a reading
 * connection beside the node's own (WAL lets it read while the node writes), independent of how
 * the node reports arrivals.
 */
export class StoredCounter {
  readonly #db: Database
  readonly #count: Statement<[string], { n: number }>

  constructor (dataDir: string) {
    this.#db = new Database(storePath(dataDir), { timeout: 5000 })
    this.#count = this.#db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM messages WHERE channel_id = ?')
  }

  count (channelId: Hex): number {
    return this.#count.get(channelId)?.n ?? 0
  }

  close (): void { this.#db.close() }
}
