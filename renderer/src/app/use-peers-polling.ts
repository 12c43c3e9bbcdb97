import { useEffect } from 'react'
import type { Hex } from '../../../core/api/contract.ts'
import { actions } from '../store/store.ts'
import { useClient } from './client-context.ts'
import { loadMembers } from './members.ts'

/** Round-trip times and last-seen times change without any event: while the members panel shows, re-read them now and then. */
export const PEERS_POLL_MS = 5_000

/** Reads the channel's members at once, then re-reads them and the connected peers every PEERS_POLL_MS while the page is visible. */
export function usePeersPolling (channelId: Hex): void {
  const client = useClient()
  useEffect(() => {
    void loadMembers(client, channelId)
    const refresh = async (): Promise<void> => {
      if (document.visibilityState !== 'visible') return
      const members = loadMembers(client, channelId)
      try {
        actions().peersListed(channelId, await client.call('peers.list', { channelId }))
      } catch {
        // A failed refresh keeps the last list; connection problems have their own banner.
      }
      await members
    }
    const timer = setInterval(() => { void refresh() }, PEERS_POLL_MS)
    return () => { clearInterval(timer) }
  }, [client, channelId])
}
