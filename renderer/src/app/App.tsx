import { ConnectionBanner } from '../components/ConnectionBanner.tsx'
import { FirstRun } from '../components/FirstRun.tsx'
import { Notices } from '../components/Notices.tsx'
import { Splash } from '../components/Splash.tsx'
import { Unlock } from '../components/Unlock.tsx'
import { Workspace } from '../components/Workspace.tsx'
import { useAppStore } from '../store/store.ts'
import { useDocumentTitle } from './use-document-title.ts'
import { useTheme } from './use-theme.ts'

export function App () {
  const status = useAppStore(s => s.identityStatus)
  const uiLocked = useAppStore(s => s.uiLocked)
  useTheme()
  useDocumentTitle()
  const locked = status?.state === 'locked' || (status?.state === 'ready' && uiLocked)
  return (
    <div className="app">
      <ConnectionBanner />
      {status === null && <Splash />}
      {status?.state === 'none' && <FirstRun />}
      {locked && <Unlock />}
      {status?.state === 'ready' && !uiLocked && <Workspace />}
      {/* A notice may name a channel or a person: it waits behind the lock. */}
      {!locked && <Notices />}
    </div>
  )
}
