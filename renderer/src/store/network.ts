import type { StateCreator } from 'zustand'
import type { NetworkStatus } from '../../../core/api/contract.ts'
import { withOneStatusPerTracker } from '../lib/tracker-status.ts'
import type { AppState } from './store.ts'

export interface NetworkState {
  /** The last answer to `network.status`; null until the network panel first asks. */
  networkStatus: NetworkStatus | null
  /** When that answer arrived (Unix ms): relative times in the panel count from the snapshot, not the clock. */
  networkFetchedAt: number | null
  /** Why the last refresh failed; the previous status stays shown beside it. */
  networkError: string | null
}

export interface NetworkActions {
  networkStatusLoaded(status: NetworkStatus, fetchedAt: number): void
  networkStatusFailed(message: string): void
}

export type NetworkSlice = NetworkState & NetworkActions

export const initialNetworkState = (): NetworkState => ({ networkStatus: null, networkFetchedAt: null, networkError: null })

export const createNetworkSlice: StateCreator<AppState, [], [], NetworkSlice> = set => ({
  ...initialNetworkState(),
  networkStatusLoaded: (status, networkFetchedAt) => { set({ networkStatus: withOneStatusPerTracker(status), networkFetchedAt, networkError: null }) },
  networkStatusFailed: message => { set({ networkError: message }) }
})
