import type { StateCreator } from 'zustand'
import type { Hex, MemberInfo } from '../../../core/api/contract.ts'
import type { AppState } from './store.ts'

export interface MembersState {
  /** Everyone known per channel, as `channels.members` last listed them (online first, then by last seen); present once fetched. */
  members: ReadonlyMap<Hex, readonly MemberInfo[]>
}

export interface MembersActions {
  membersListed(channelId: Hex, list: readonly MemberInfo[]): void
  membersCleared(channelId: Hex): void
}

export type MembersSlice = MembersState & MembersActions

export const initialMembersState = (): MembersState => ({ members: new Map() })

export const createMembersSlice: StateCreator<AppState, [], [], MembersSlice> = set => ({
  ...initialMembersState(),
  membersListed: (channelId, list) => { set(s => ({ members: new Map(s.members).set(channelId, list) })) },
  membersCleared: channelId => {
    set(s => {
      if (!s.members.has(channelId)) return {}
      const next = new Map(s.members)
      next.delete(channelId)
      return { members: next }
    })
  }
})
