// Invitations' SQL (migration 009).
import type Database from 'better-sqlite3'

export type InvitationStatus = 'pending' | 'accepted' | 'declined'
export interface StoredInvitation { invitationId: string; channelId: string; sender: Uint8Array; link: string; receivedAt: number; status: InvitationStatus }

const INVITATION = 'invitation_id AS invitationId, channel_id AS channelId, sender, link, received_at AS receivedAt, status'

export function prepareInvitationStatements (db: Database) {
  const statements = {
    add: db.prepare<[{ [K in keyof StoredInvitation]: StoredInvitation[K] }]>(`
      INSERT INTO invitations (invitation_id, channel_id, sender, link, received_at, status)
      VALUES (@invitationId, @channelId, @sender, @link, @receivedAt, @status) ON CONFLICT DO NOTHING`),
    get: db.prepare<[id: string], StoredInvitation>(`SELECT ${INVITATION} FROM invitations WHERE invitation_id = ?`),
    list: db.prepare<[limit: number], StoredInvitation>(`SELECT ${INVITATION} FROM invitations ORDER BY received_at DESC LIMIT ?`),
    setStatus: db.prepare<[status: InvitationStatus, id: string]>('UPDATE invitations SET status = ? WHERE invitation_id = ?'),
    // The oldest answered invitations make way: the list stays bounded whatever strangers send.
    prune: db.prepare<[keep: number]>(`DELETE FROM invitations WHERE invitation_id IN
      (SELECT invitation_id FROM invitations ORDER BY status = 'pending' DESC, received_at DESC LIMIT -1 OFFSET ?)`)
  }
  return {
    add: (invitation: StoredInvitation, keep: number): boolean => {
      const added = statements.add.run(invitation).changes === 1
      if (added) statements.prune.run(keep)
      return added
    },
    get: (id: string): StoredInvitation | undefined => statements.get.get(id),
    list: (limit: number): StoredInvitation[] => statements.list.all(limit),
    setStatus: (id: string, status: InvitationStatus): void => { statements.setStatus.run(status, id) }
  }
}

export type InvitationStatements = ReturnType<typeof prepareInvitationStatements>
