import { useAppStore } from '../store/store.ts'

/** Shown while the link to the core is down after it had been up (or refused for good); the splash covers the first connect. */
export function ConnectionBanner () {
  const connection = useAppStore(s => s.connection)
  const started = useAppStore(s => s.identityStatus !== null)
  if (connection === 'connected' || !started) return null
  return (
    <div className="banner" role="alert" data-testid="connection-banner">
      <span className="banner__dot" aria-hidden="true" />
      {connection === 'refused'
        ? 'BitChat restarted with a new address: open the address it printed when it started. This page can no longer reach it.'
        : `Disconnected from BitChat. ${connection === 'connecting' ? 'Reconnecting…' : 'Retrying shortly…'}`}
    </div>
  )
}
