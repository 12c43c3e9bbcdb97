import type Database from 'better-sqlite3'
import { BitChatError } from '../api/errors.ts'
import { MIGRATIONS } from './migrations/index.ts'
import type { Migration } from './migrations/migration.ts'

export function schemaVersion (db: Database): number {
  const version = db.pragma('user_version', { simple: true })
  if (typeof version !== 'number') throw new Error(`PRAGMA user_version returned ${String(version)}`)
  return version
}

/**
 * Brings the schema up to the last migration and returns its version. Each step runs in
 * its own IMMEDIATE transaction and re-reads the version inside it, so a second process
 * opening the same database at the same moment waits and then skips what is done.
 */
export function migrate (db: Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const known = migrations.at(-1)?.version ?? 0
  const found = schemaVersion(db)
  if (found > known) {
    // Opening it anyway would let an older build write rows a newer schema does not expect.
    throw new BitChatError('INTERNAL',
      `the database ${db.name} has schema version ${found}, newer than the ${known} this BitChat knows: ` +
      'it was written by a newer BitChat, so upgrade BitChat to open it')
  }
  for (const migration of migrations) {
    // Applied already: no write lock for it on every open. The check inside covers a racing opener.
    if (migration.version <= found) continue
    db.transaction(() => {
      if (schemaVersion(db) >= migration.version) return
      migration.up(db)
      db.pragma(`user_version = ${migration.version}`)
    }).immediate()
  }
  return known
}
