import { createContext, useContext } from 'react'
import type { BitChatClient } from '../../../core/api/contract.ts'

export const ClientContext = createContext<BitChatClient | null>(null)

export function useClient (): BitChatClient {
  const client = useContext(ClientContext)
  if (client === null) throw new Error('useClient needs a ClientContext provider')
  return client
}
