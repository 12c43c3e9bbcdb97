import { tokenFromHash } from '../client/ws-client.ts'
import { useAppStore } from '../store/store.ts'
import { Logo } from './Logo.tsx'

const DAEMON_COMMAND = 'bitchat daemon --web'

export function Splash () {
  const unreachable = useAppStore(s => s.connection === 'disconnected')
  // In a browser tab the token in the address is the only key to the daemon, and the daemon
  // refuses a wrong one without saying why; Electron's window needs no token.
  const inBrowser = window.bitchat === undefined
  const noToken = inBrowser && tokenFromHash(window.location.hash) === ''
  if (noToken) {
    return (
      <main className="splash splash--refused">
        <Logo size={56} />
        <p className="splash__text" role="alert">Not authorised: this address has no access token.</p>
        <p className="splash__hint">Open the full address that <code>{DAEMON_COMMAND}</code> printed, including its <code>#token=…</code> part.</p>
      </main>
    )
  }
  return (
    <main className="splash" aria-busy="true">
      <Logo size={56} />
      <p className="splash__text" role="status">
        {unreachable ? 'Cannot reach BitChat. Retrying…' : 'Connecting to BitChat…'}
      </p>
      {unreachable && inBrowser && (
        <p className="splash__hint">
          If this lasts, open the address that <code>{DAEMON_COMMAND}</code> printed again: its token changes every time the daemon starts.
        </p>
      )}
    </main>
  )
}
