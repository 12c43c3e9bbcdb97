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
  return (
    <div className="app">
      <ConnectionBanner />
      {status === null && <Splash />}
      {status?.state === 'none' && <FirstRun />}
      {(status?.state === 'locked' || (status?.state === 'ready' && uiLocked)) && <Unlock />}
      {status?.state === 'ready' && !uiLocked && <Workspace />}
      <Notices />
    </div>
  )
}
