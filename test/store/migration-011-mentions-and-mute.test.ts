import assert from 'node:assert/strict'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { MIGRATIONS } from '../../core/store/migrations/index.ts'
import { mentionsAndMute } from '../../core/store/migrations/011-mentions-and-mute.ts'
import { tempDbPath } from './store-fixture.ts'

test('011 is the eleventh migration: channels held before it are not muted, and mentions take 32-byte keys only', t => {
  assert.equal(mentionsAndMute.version, 11)
  assert.equal(MIGRATIONS[10], mentionsAndMute)
  const db = new Database(tempDbPath(t))
  t.after(() => db.close())
  for (const m of MIGRATIONS.slice(0, 10)) m.up(db)
  db.prepare<[string]>("INSERT INTO channels (channel_id, name, chat_file, joined_at, last_read_at) VALUES (?, 'old', x'00', 0, 0)").run('c'.repeat(64))
  mentionsAndMute.up(db)
  assert.equal(db.prepare<[], { muted: number }>('SELECT muted FROM channels').get()?.muted, 0)
  const messageId = 'd'.repeat(64)
  db.prepare<[string, string, Buffer]>("INSERT INTO messages (message_id, channel_id, author, seq, timestamp, received_at, kind, body, raw) VALUES (?, ?, ?, 1, 0, 0, 1, 'hi', x'01')").run(messageId, 'c'.repeat(64), Buffer.alloc(32, 1))
  const mention = db.prepare<[string, string, Buffer]>('INSERT INTO mentions (message_id, channel_id, mentioned) VALUES (?, ?, ?)')
  mention.run(messageId, 'c'.repeat(64), Buffer.alloc(32, 2))
  assert.throws(() => { mention.run(messageId, 'c'.repeat(64), Buffer.alloc(31, 2)) }, /mentioned_key/)
  assert.throws(() => { mention.run(messageId, 'c'.repeat(64), Buffer.alloc(32, 2)) }, /UNIQUE|PRIMARY KEY/)
})
