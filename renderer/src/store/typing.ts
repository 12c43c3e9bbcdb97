import type { StateCreator } from 'zustand'
import type { Hex } from '../../../core/api/contract.ts'
import type { AppState } from './store.ts'

export interface TypingState {
  /** Per channel, who is typing there now, in the order they started. */
  typing: ReadonlyMap<Hex, readonly Hex[]>
}

export interface TypingActions {
  typingChanged(channelId: Hex, publicKey: Hex, typing: boolean): void
  typingCleared(channelId: Hex): void
}

export type TypingSlice = TypingState & TypingActions

export const initialTypingState = (): TypingState => ({ typing: new Map() })

export const NOBODY_TYPING: readonly Hex[] = []

export const createTypingSlice: StateCreator<AppState, [], [], TypingSlice> = set => ({
  ...initialTypingState(),
  typingChanged: (channelId, publicKey, typing) => {
    set(s => {
      const current = s.typing.get(channelId) ?? NOBODY_TYPING
      if (current.includes(publicKey) === typing) return {}
      const people = typing ? [...current, publicKey] : current.filter(k => k !== publicKey)
      const next = new Map(s.typing)
      if (people.length === 0) next.delete(channelId)
      else next.set(channelId, people)
      return { typing: next }
    })
  },
  typingCleared: channelId => {
    set(s => {
      if (!s.typing.has(channelId)) return {}
      const next = new Map(s.typing)
      next.delete(channelId)
      return { typing: next }
    })
  }
})
