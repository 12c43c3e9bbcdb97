import fs from 'node:fs'
import path from 'node:path'
import { BitChatError } from '../api/errors.ts'

const LOCK_FILE = 'bitchat.lock'

/**
 * One node per data folder: two would share one identity and one database and fight over
 * peers (each sees the other as a duplicate session of itself). The lock file holds the owner's
 * PID; a lock whose process is gone (a crash) is taken over.
 */
export function lockDataDir (dataDir: string): () => void {
  const file = path.join(dataDir, LOCK_FILE)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx', mode: 0o600 })
      return () => { fs.rmSync(file, { force: true }) }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const owner = Number(fs.readFileSync(file, 'utf8').trim())
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
        throw new BitChatError('DATA_DIR_IN_USE', `${dataDir} is in use by another BitChat (process ${owner}); stop it or use another --data-dir`)
      }
      fs.rmSync(file, { force: true })
    }
  }
  throw new BitChatError('DATA_DIR_IN_USE', `cannot lock ${dataDir}`)
}

function isAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
