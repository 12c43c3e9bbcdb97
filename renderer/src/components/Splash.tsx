import { useAppStore } from '../store/store.ts'
import { Logo } from './Logo.tsx'

export function Splash () {
  const unreachable = useAppStore(s => s.connection === 'disconnected')
  return (
    <main className="splash" aria-busy="true">
      <Logo size={56} />
      <p className="splash__text" role="status">
        {unreachable ? 'Cannot reach BitChat. Retrying…' : 'Connecting to BitChat…'}
      </p>
    </main>
  )
}
