// Quitting waits for the node to close (sessions said goodbye, database flushed) before the
// process ends: the first `before-quit` is held back until service.close() settles.
import type { BitChatService } from '../core/api/service.ts'
import type { Logger } from '../core/log.ts'
import type { PreventableEvent } from './preventable-event.ts'
import { errorMessage } from '../core/error-message.ts'

export interface QuittingApp {
  on (event: 'before-quit', listener: (event: PreventableEvent) => void): unknown
  quit (): void
}

export function closeServiceBeforeQuit (app: QuittingApp, service: BitChatService, log: Logger): void {
  let state: 'running' | 'closing' | 'closed' = 'running'
  app.on('before-quit', event => {
    if (state === 'closed') return
    event.preventDefault()
    if (state === 'closing') return
    state = 'closing'
    service.close()
      .catch((err: unknown) => { log.error('the node did not close cleanly', { error: errorMessage(err) }) })
      .finally(() => {
        state = 'closed'
        app.quit()
      })
  })
}
