import { useEffect } from 'react'
import type { Hex } from '../../../core/api/contract.ts'
import { actions } from '../store/store.ts'
import { useClient } from './client-context.ts'

/** Round-trip times change without any event: while the members panel shows, re-read the peers now and then. */
export const PEERS_POLL_MS = 5_000

export function usePeersPolling (channelId: Hex): void {
  const client = useClient()
  useEffect(() => {
    const refresh = async (): Promise<void> => {
      if (document.visibilityState !== 'visible') return
      try {
        actions().peersListed(channelId, await client.call('peers.list', { channelId }))
      } catch {
        // A failed refresh keeps the last list; connection problems have their own banner.
      }
    }
    const timer = setInterval(() => { void refresh() }, PEERS_POLL_MS)
    return () => { clearInterval(timer) }
  }, [client, channelId])
}
