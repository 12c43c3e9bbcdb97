// Logs are for people debugging a node; they never go to stdout (the daemon's stdout carries JSON-RPC).
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type LogFields = Record<string, unknown>

export interface Logger {
  debug (msg: string, fields?: LogFields): void
  info (msg: string, fields?: LogFields): void
  warn (msg: string, fields?: LogFields): void
  error (msg: string, fields?: LogFields): void
  child (fields: LogFields): Logger
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

export function isLogLevel (value: unknown): value is LogLevel {
  return typeof value === 'string' && Object.hasOwn(RANK, value)
}

/** A logger writing one line per entry to `write` (stderr by default). */
export function createLogger (opts: { level?: LogLevel; write?: (line: string) => void; fields?: LogFields } = {}): Logger {
  const min = RANK[opts.level ?? 'info']
  const write = opts.write ?? ((line: string) => { process.stderr.write(line + '\n') })
  const base = opts.fields ?? {}
  const emit = (level: LogLevel, msg: string, fields?: LogFields): void => {
    if (RANK[level] < min) return
    const all = { ...base, ...fields }
    const extra = Object.entries(all).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ')
    write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${msg}${extra ? ' ' + extra : ''}`)
  }
  return {
    debug: (m, f) => { emit('debug', m, f) },
    info: (m, f) => { emit('info', m, f) },
    warn: (m, f) => { emit('warn', m, f) },
    error: (m, f) => { emit('error', m, f) },
    child: (fields) => createLogger({ ...opts, fields: { ...base, ...fields } })
  }
}

export const silentLogger: Logger = createLogger({ write: () => {} })
