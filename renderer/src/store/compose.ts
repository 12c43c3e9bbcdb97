import type { StateCreator } from 'zustand'
import type { Hex, MessageInfo } from '../../../core/api/contract.ts'
import type { AppState } from './store.ts'

/**
 * What the composer of a conversation is doing besides writing a new message: answering one
 * (`reply`, its quote shown above) or changing one of ours (`edit`, whose words the composer holds;
 * `draft` is what was being written before, given back when the edit ends).
 */
export type ComposeMode =
  | { kind: 'reply'; message: MessageInfo }
  | { kind: 'edit'; message: MessageInfo; draft: string }

export interface ComposeState {
  composeModes: ReadonlyMap<Hex, ComposeMode>
}

export interface ComposeActions {
  composeModeSet(channelId: Hex, mode: ComposeMode | null): void
}

export type ComposeSlice = ComposeState & ComposeActions

export const initialComposeState = (): ComposeState => ({ composeModes: new Map() })

export const createComposeSlice: StateCreator<AppState, [], [], ComposeSlice> = set => ({
  ...initialComposeState(),
  composeModeSet: (channelId, mode) => {
    set(s => {
      if (mode === null && !s.composeModes.has(channelId)) return {}
      const next = new Map(s.composeModes)
      if (mode === null) next.delete(channelId)
      else next.set(channelId, mode)
      return { composeModes: next }
    })
  }
})
