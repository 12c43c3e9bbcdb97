// The address book's SQL (migration 006). Rows come back in the shape of StoredContact.
import type Database from 'better-sqlite3'

export interface StoredContact {
  publicKey: Uint8Array
  name: string
  theirName: string | null
  notes: string
  verified: boolean
  blocked: boolean
  addedAt: number
}

type Row = Omit<StoredContact, 'verified' | 'blocked'> & { verified: number; blocked: number }

const CONTACT = 'public_key AS publicKey, name, their_name AS theirName, notes, verified, blocked, added_at AS addedAt'

/** Messages of blocked authors are neither stored from now on nor listed from before. */
export const NOT_BLOCKED = 'author NOT IN (SELECT public_key FROM contacts WHERE blocked = 1)'

export function prepareContactStatements (db: Database) {
  const statements = {
    get: db.prepare<[publicKey: Uint8Array], Row>(`SELECT ${CONTACT} FROM contacts WHERE public_key = ?`),
    list: db.prepare<[limit: number], Row>(`SELECT ${CONTACT} FROM contacts ORDER BY added_at, public_key LIMIT ?`),
    count: db.prepare<[], { count: number }>('SELECT count(*) AS count FROM contacts'),
    upsert: db.prepare<[Row]>(`
      INSERT INTO contacts (public_key, name, their_name, notes, verified, blocked, added_at)
      VALUES (@publicKey, @name, @theirName, @notes, @verified, @blocked, @addedAt)
      ON CONFLICT (public_key) DO UPDATE SET name = excluded.name, their_name = excluded.their_name,
        notes = excluded.notes, verified = excluded.verified, blocked = excluded.blocked`),
    remove: db.prepare<[publicKey: Uint8Array]>('DELETE FROM contacts WHERE public_key = ?')
  }
  return {
    get: (publicKey: Uint8Array): StoredContact | undefined => {
      const row = statements.get.get(publicKey)
      return row === undefined ? undefined : toContact(row)
    },
    list: (limit: number): StoredContact[] => statements.list.all(limit).map(toContact),
    count: (): number => statements.count.get()?.count ?? 0,
    save: (c: StoredContact): void => { statements.upsert.run({ ...c, verified: c.verified ? 1 : 0, blocked: c.blocked ? 1 : 0 }) },
    remove: (publicKey: Uint8Array): boolean => statements.remove.run(publicKey).changes > 0
  }
}

export type ContactStatements = ReturnType<typeof prepareContactStatements>

function toContact (row: Row): StoredContact {
  const key = row.publicKey
  return { ...row, publicKey: new Uint8Array(key.buffer, key.byteOffset, key.byteLength), verified: row.verified === 1, blocked: row.blocked === 1 }
}
