import { useEffect } from 'react'
import { useClient } from './client-context.ts'
import { NETWORK_POLL_MS, refreshNetworkStatus } from './network-status.ts'

/** While the calling component is mounted: the status now, then every few seconds the window is visible. */
export function useNetworkPolling (): void {
  const client = useClient()
  useEffect(() => {
    void refreshNetworkStatus(client)
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void refreshNetworkStatus(client)
    }, NETWORK_POLL_MS)
    return () => { clearInterval(timer) }
  }, [client])
}
