import type { StateCreator } from 'zustand'
import type { Hex, MessageInfo } from '../../../core/api/contract.ts'
import type { AppState } from './store.ts'

/** A message handed to the core that it has not answered for yet: shown at once, marked as sending. */
export interface SendingMessage {
  localId: string
  channelId: Hex
  text: string
  /** When the user sent it (the core stamps its own time once stored). */
  timestamp: number
  /** The quote of the message it answers, when it is a reply. */
  replyTo?: MessageInfo['replyTo']
}

export interface SendingState {
  sending: ReadonlyMap<Hex, readonly SendingMessage[]>
}

export interface SendingActions {
  sendStarted(message: SendingMessage): void
  /** Answered: stored (the message itself takes its place) or refused (the composer says why). */
  sendSettled(channelId: Hex, localId: string): void
}

export type SendingSlice = SendingState & SendingActions

export const initialSendingState = (): SendingState => ({ sending: new Map() })

export const NOTHING_SENDING: readonly SendingMessage[] = []

export const createSendingSlice: StateCreator<AppState, [], [], SendingSlice> = set => ({
  ...initialSendingState(),
  sendStarted: message => {
    set(s => ({ sending: new Map(s.sending).set(message.channelId, [...(s.sending.get(message.channelId) ?? []), message]) }))
  },
  sendSettled: (channelId, localId) => {
    set(s => {
      const current = s.sending.get(channelId)
      if (current === undefined || !current.some(m => m.localId === localId)) return {}
      const left = current.filter(m => m.localId !== localId)
      const next = new Map(s.sending)
      if (left.length === 0) next.delete(channelId)
      else next.set(channelId, left)
      return { sending: next }
    })
  }
})
