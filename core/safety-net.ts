// The last line of defence of a long-running node (the daemon, the Electron main process): an
// error that escaped every handler, in one channel or one connection, is logged with its stack and
// the node goes on serving everything else. Only process entry points install it; tests leave it
// out (BITCHAT_STRICT_ERRORS=1 for daemons they start) so a bug still fails them.
import type { Logger } from './log.ts'

/** Starts catching on `proc` (the process); returns the function that stops. */
export function installSafetyNet (proc: NodeJS.EventEmitter, log: Logger): () => void {
  const report = (kind: string) => (err: unknown): void => {
    log.error(`${kind}; kept running`, { error: err instanceof Error ? (err.stack ?? err.message) : String(err) })
  }
  const onRejection = report('unhandled promise rejection')
  const onException = report('uncaught exception')
  proc.on('unhandledRejection', onRejection)
  proc.on('uncaughtException', onException)
  return () => {
    proc.off('unhandledRejection', onRejection)
    proc.off('uncaughtException', onException)
  }
}

/** Whether this process runs under a test that wants every escaped error to crash it. */
export function strictErrors (env: NodeJS.ProcessEnv): boolean {
  return env.BITCHAT_STRICT_ERRORS === '1'
}
