import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App.tsx'
import { ClientContext } from './app/client-context.ts'
import { focusChannel } from './app/commands.ts'
import { startSession } from './app/session.ts'
import { bindWebNotifications, browserNotifications } from './app/web-notifications.ts'
import { storedTheme } from './app/use-theme.ts'
import { createClient } from './client/client.ts'
import { actions } from './store/store.ts'

const root = document.getElementById('root')
if (root === null) throw new Error('index.html has no #root')

actions().themeChanged(storedTheme())
// Below this width the members panel covers the conversation, so it starts closed there.
if (!window.matchMedia('(min-width: 1081px)').matches) actions().membersToggled(false)
const client = createClient()
startSession(client)
// In the desktop app the main process notifies; in a browser this page does.
const notifications = browserNotifications()
if (notifications !== null) {
  bindWebNotifications(client, {
    Notification: notifications,
    isLooking: () => document.visibilityState === 'visible' && document.hasFocus(),
    open: channelId => {
      window.focus()
      focusChannel(client, channelId).catch(() => { actions().noticePosted('error', 'Could not open the conversation') })
    }
  })
}

createRoot(root).render(
  <StrictMode>
    <ClientContext.Provider value={client}>
      <App />
    </ClientContext.Provider>
  </StrictMode>
)
