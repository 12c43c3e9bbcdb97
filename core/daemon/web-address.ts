// The web UI's port and token, kept in the data folder: a tab left open on the old address finds
// the daemon again after a restart. The folder already holds the identity, so the token is as
// safe there (owner-only) as anything else the daemon keeps.
import fs from 'node:fs'
import path from 'node:path'

export interface WebAddress {
  port: number
  token: string
}

const FILE = 'web-ui.json'

/** What the last run used, or null when there is nothing usable (first run, a damaged file). */
export function loadWebAddress (dataDir: string): WebAddress | null {
  let parsed: unknown
  try {
    parsed = JSON.parse(fs.readFileSync(path.join(dataDir, FILE), 'utf8'))
  } catch {
    return null
  }
  const { port, token } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return null
  if (typeof token !== 'string' || !/^[0-9a-f]{64}$/.test(token)) return null
  return { port, token }
}

/** Written owner-only and renamed into place, so a crash never leaves half a file. */
export function saveWebAddress (dataDir: string, address: WebAddress): void {
  const file = path.join(dataDir, FILE)
  const temporary = `${file}.${process.pid}.tmp`
  fs.writeFileSync(temporary, JSON.stringify(address) + '\n', { mode: 0o600 })
  fs.renameSync(temporary, file)
}
