import { tokenFromHash } from '../client/ws-client.ts'
import { useAppStore } from '../store/store.ts'
import { Logo } from './Logo.tsx'

const DAEMON_COMMAND = 'bitchat daemon --web'

export function Splash () {
  const unreachable = useAppStore(s => s.connection === 'disconnected')
  const refused = useAppStore(s => s.connection === 'refused')
  // In a browser tab the token in the address is the only key to the daemon; Electron's window needs no token.
  const inBrowser = window.bitchat === undefined
  const noToken = inBrowser && tokenFromHash(window.location.hash) === ''
  if (refused && !noToken) {
    return (
      <main className="splash splash--refused">
        <Logo size={56} />
        <p className="splash__text" role="alert">This address is out of date: BitChat now has a new one.</p>
        <p className="splash__hint">Open the address that <code>{DAEMON_COMMAND}</code> printed when it last started, including its <code>#token=…</code> part.</p>
      </main>
    )
  }
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
          If this lasts, check that <code>{DAEMON_COMMAND}</code> is still running: this page reconnects by itself once it is.
        </p>
      )}
    </main>
  )
}
