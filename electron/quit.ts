// Quitting waits for the node to close (sessions said goodbye, database flushed) before the
// process ends: the first `before-quit` is held back until service.close() settles.
import type { BitChatService } from '../core/api/service.ts'
import type { Logger } from '../core/log.ts'

export interface QuittingApp {
  on (event: 'before-quit', listener: (event: { preventDefault (): void }) => void): unknown
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
      .catch((err: unknown) => { log.error('the node did not close cleanly', { error: err instanceof Error ? err.message : String(err) }) })
      .finally(() => {
        state = 'closed'
        app.quit()
      })
  })
}
