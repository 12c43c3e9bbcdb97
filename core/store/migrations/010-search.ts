import type Database from 'better-sqlite3'
import type { Migration } from './migration.ts'
import { SHOWN_KINDS } from '../../wire/entry-kinds.ts'
import { SearchIndex } from '../search-index.ts'

// Full-text search over what messages show (messages.search): one row per shown message, keyed by
// the message's rowid and holding its text as last edited. Contentless, so no second copy of every
// message is kept; rows are written and removed with the messages (core/store/message-log.ts).
export const search: Migration = {
  version: 10,
  name: 'search',
  up (db: Database): void {
    db.exec(`
      CREATE VIRTUAL TABLE message_search USING fts5(body, content='', contentless_delete=1, detail=none, tokenize='unicode61 remove_diacritics 2');
    `)
    // Through the index itself, so messages held before are indexed exactly as new ones: as last
    // edited, with long words cut.
    const index = new SearchIndex(db)
    const held = db.prepare<[], { messageId: string }>(`SELECT message_id AS messageId FROM messages WHERE kind IN (${SHOWN_KINDS.join(', ')}) AND length(raw) > 0`)
    for (const { messageId } of held.all()) index.show(messageId)
  }
}
