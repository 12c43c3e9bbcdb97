import type Database from 'better-sqlite3'

/**
 * One step of the schema. `version` is the `PRAGMA user_version` the database has after
 * `up` ran; `up` runs inside a transaction that also sets it, so a step applies whole or
 * not at all. A shipped migration never changes: later changes are new migrations.
 */
export interface Migration {
  version: number
  name: string
  up (db: Database): void
}
