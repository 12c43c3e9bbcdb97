// The open-files limit of this process. Node raises its soft limit to the hard limit when it starts
// (node.cc, PlatformInit); embedders may not (Electron starts Node with its own flags), so the node
// raises it again where the runtime lets it: Electron's process.setFdLimit, else util-linux's prlimit
// run against our own pid, as Node has no setrlimit and a native addon is not worth it for this.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'

export interface DescriptorLimit { soft: number; hard: number }

const UNKNOWN_LIMIT_TARGET = 10_240

/** Linux only (/proc); null elsewhere, where the caller assumes a conservative default. */
export function readDescriptorLimit (pid: number | 'self' = 'self'): DescriptorLimit | null {
  let text: string
  try {
    text = fs.readFileSync(`/proc/${pid}/limits`, 'utf8')
  } catch {
    return null
  }
  const match = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(text)
  if (match === null) return null
  const value = (s: string): number => s === 'unlimited' ? Infinity : Number(s)
  return { soft: value(match[1]!), hard: value(match[2]!) }
}

/**
 * Raises the soft limit to the hard one (never above /proc/sys/fs/nr_open, the kernel's ceiling)
 * and returns the limit now in force, or null where it cannot be read.
 */
export function raiseDescriptorLimit (onProblem: (message: string) => void = () => {}): DescriptorLimit | null {
  const limit = readDescriptorLimit()
  const setFdLimit = (process as { setFdLimit?: (max: number) => void }).setFdLimit
  if (limit === null) {
    // No /proc (macOS, where Electron's soft limit may be 256): ask for plenty; Electron clamps it to the hard limit.
    try { setFdLimit?.call(process, UNKNOWN_LIMIT_TARGET) } catch (err) { onProblem(`could not raise the open-files limit: ${(err as Error).message}`) }
    return null
  }
  if (limit.soft >= limit.hard) return limit
  const target = Math.min(limit.hard, kernelCeiling())
  try {
    if (typeof setFdLimit === 'function') setFdLimit.call(process, target)
    else execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${target}:`], { stdio: 'ignore', timeout: 5_000 })
  } catch (err) {
    onProblem(`could not raise the open-files limit from ${limit.soft} to ${target}: ${(err as Error).message}`)
  }
  return readDescriptorLimit() ?? limit
}

function kernelCeiling (): number {
  try {
    const n = Number(fs.readFileSync('/proc/sys/fs/nr_open', 'utf8').trim())
    return Number.isSafeInteger(n) && n > 0 ? n : 1_048_576
  } catch {
    return 1_048_576
  }
}
