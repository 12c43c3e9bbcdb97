import { createContext, useContext } from 'react'
import type { Hex } from '../../../core/api/contract.ts'

/**
 * What a message of the list asks of the list around it, through functions that keep their
 * identity (they read the list's latest state when called), so no memoised row redraws for them.
 */
export interface MessageListContext {
  /** Scrolls to a message and highlights it, fetching the history around it when it is not loaded; false where there is no list to do so. */
  jumpTo(messageId: Hex): boolean
  /** How to name someone here (your name for a contact, else theirs); undefined for someone unknown. */
  nameOf(publicKey: Hex): string | undefined
  /** Our own key. */
  me: Hex | undefined
}

const NOWHERE: MessageListContext = { jumpTo: () => false, nameOf: () => undefined, me: undefined }

export const MessageListContext = createContext<MessageListContext>(NOWHERE)

export const useMessageList = (): MessageListContext => useContext(MessageListContext)
