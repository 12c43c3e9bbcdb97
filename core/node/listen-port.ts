// The port the node listens on, as chosen in settings: taken at start when free (any port for this
// run when not), moved at the user's request without losing the one held when the move fails.
import { BitChatError } from '../api/errors.ts'
import type { Logger } from '../log.ts'
import type { ConnectionPool } from '../peers/connection-pool.ts'
import type { Store } from '../store/store.ts'

export interface ListenPortContext {
  pool: ConnectionPool
  store: Store
  host: string | undefined
  log: Logger
}

/**
 * Listens on `port`; remembers the port so peers find us there after a restart. At start a
 * chosen port that is taken gives way to any free one for this run only: settings report it
 * (`unavailablePort`) and the next start tries it again.
 */
export async function bindListenPort ({ pool, store, host, log }: ListenPortContext, port: number): Promise<void> {
  try {
    await pool.listen(port, host)
  } catch (err) {
    if (port === 0) throw err
    log.warn('listen port unavailable, using another for now', { port, error: (err as Error).message })
    await pool.listen(0, host)
    log.info('listening', { port: pool.port })
    return
  }
  store.setSetting('listenPort', String(pool.port))
  log.info('listening', { port: pool.port })
}

/** Moves to `port`, or stays where it was and says why (PORT_IN_USE) when the port cannot be had. */
export async function moveListenPort ({ pool, store, host, log }: ListenPortContext, port: number): Promise<void> {
  const previous = pool.port
  await pool.stopListening()
  try {
    await pool.listen(port, host)
  } catch (err) {
    // Back where it was, without touching the stored choice (which may be a port taken at start).
    await pool.listen(previous, host).catch(async () => await pool.listen(0, host))
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') throw new BitChatError('PORT_IN_USE', `Port ${port} is already in use by another program. BitChat keeps listening on port ${pool.port}.`)
    throw BitChatError.invalidParams(`Port ${port} cannot be used (${code ?? (err as Error).message}). BitChat keeps listening on port ${pool.port}.`)
  }
  store.setSetting('listenPort', String(pool.port))
  log.info('listening', { port: pool.port })
  pool.announceProfile()
}
