import type { StateCreator } from 'zustand'
import type { Hex, InvitationInfo } from '../../../core/api/contract.ts'
import type { AppState } from './store.ts'

export interface InvitationsState {
  /** Invitations still waiting for an answer, by id; accepted and declined ones are not kept. */
  invitations: ReadonlyMap<Hex, InvitationInfo>
}

export interface InvitationsActions {
  invitationsListed(list: readonly InvitationInfo[]): void
  invitationReceived(invitation: InvitationInfo): void
  invitationSettled(invitationId: Hex): void
}

export type InvitationsSlice = InvitationsState & InvitationsActions

export const initialInvitationsState = (): InvitationsState => ({ invitations: new Map() })

/** The pending ones, newest first (the one that just arrived leads). */
export function pendingInvitations (invitations: ReadonlyMap<Hex, InvitationInfo>): InvitationInfo[] {
  return [...invitations.values()].sort((a, b) => b.receivedAt - a.receivedAt || a.invitationId.localeCompare(b.invitationId))
}

export const createInvitationsSlice: StateCreator<AppState, [], [], InvitationsSlice> = set => ({
  ...initialInvitationsState(),
  invitationsListed: list => {
    set({ invitations: new Map(list.filter(i => i.status === 'pending').map(i => [i.invitationId, i])) })
  },
  invitationReceived: invitation => {
    set(s => {
      const next = new Map(s.invitations)
      if (invitation.status === 'pending') next.set(invitation.invitationId, invitation)
      else next.delete(invitation.invitationId)
      return { invitations: next }
    })
  },
  invitationSettled: invitationId => {
    set(s => {
      if (!s.invitations.has(invitationId)) return {}
      const next = new Map(s.invitations)
      next.delete(invitationId)
      return { invitations: next }
    })
  }
})
