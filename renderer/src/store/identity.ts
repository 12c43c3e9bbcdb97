import type { StateCreator } from 'zustand'
import type { IdentityInfo, IdentityStatus } from '../../../core/api/contract.ts'
import type { AppState } from './store.ts'

export interface IdentityState {
  /** null until the core has answered `identity.status`. */
  identityStatus: IdentityStatus | null
}

export interface IdentityActions {
  identityStatusChanged(status: IdentityStatus): void
  /** create, unlock and setName answer with the identity itself: it is ready. */
  identityReady(info: IdentityInfo): void
}

export type IdentitySlice = IdentityState & IdentityActions

export const initialIdentityState = (): IdentityState => ({ identityStatus: null })

function readyStatus (info: IdentityInfo): IdentityStatus {
  return { state: 'ready', identity: info }
}

export const createIdentitySlice: StateCreator<AppState, [], [], IdentitySlice> = set => ({
  ...initialIdentityState(),
  identityStatusChanged: status => { set({ identityStatus: status }) },
  identityReady: info => { set({ identityStatus: readyStatus(info) }) }
})
