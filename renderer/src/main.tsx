import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App.tsx'
import { ClientContext } from './app/client-context.ts'
import { startSession } from './app/session.ts'
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

createRoot(root).render(
  <StrictMode>
    <ClientContext.Provider value={client}>
      <App />
    </ClientContext.Provider>
  </StrictMode>
)
