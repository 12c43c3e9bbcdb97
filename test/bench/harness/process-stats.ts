// What the kernel says another process has used (Linux /proc): CPU time. Its memory:
// residentBytes in test/helpers/proc.ts.
import fs from 'node:fs'

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on every Linux the bench runs on). */
const TICKS_PER_SECOND = 100

/** CPU milliseconds (user + system) `pid` has used so far. */
export function cpuMs (pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The command name (field 2) may hold spaces: fields are counted from after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[11]) + Number(fields[12])
  if (!Number.isFinite(ticks)) throw new Error(`no CPU times for process ${pid}`)
  return ticks * 1000 / TICKS_PER_SECOND
}
