// Real SQLite files in a fresh temp dir per test, and small row factories.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { TestContext } from 'node:test'
import { Store } from '../../core/store/store.ts'
import type { NewChannel, StoredMessage } from '../../core/store/types.ts'

/** A database path in its own temp dir, which is removed when the test ends. */
export function tempDbPath (t: TestContext): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bitchat-store-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return path.join(dir, 'bitchat.db')
}

/** A store on a fresh file, closed when the test ends (before its dir is removed). */
export function openTempStore (t: TestContext): { store: Store; path: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'bitchat-store-'))
  const file = path.join(dir, 'bitchat.db')
  const store = Store.open(file)
  t.after(() => {
    store.close()
    rmSync(dir, { recursive: true, force: true })
  })
  return { store, path: file }
}

/** A 32-byte key filled with `n`, so tests can name authors 1, 2, 3. */
export function key (n: number): Uint8Array {
  return new Uint8Array(32).fill(n)
}

export function hexId (n: number): string {
  return n.toString(16).padStart(2, '0').repeat(32)
}

export function channel (n: number, joinedAt = n): NewChannel {
  return { channelId: hexId(n), name: `channel ${n}`, chatFile: new Uint8Array([0x64, n, 0x65]), joinedAt }
}

export function message (fields: Partial<StoredMessage> & Pick<StoredMessage, 'channelId'>): StoredMessage {
  return {
    messageId: randomBytes(32).toString('hex'),
    author: key(1),
    seq: 1,
    timestamp: 1000,
    receivedAt: 2000,
    kind: 1,
    body: 'hello',
    raw: new Uint8Array(randomBytes(120)),
    ...fields
  }
}
