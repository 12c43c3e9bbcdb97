// What the kernel says about a process (Linux /proc): open descriptors and resident memory.
// Its limits: readDescriptorLimit in core/limits/descriptor-limit.ts.
import fs from 'node:fs'
import v8 from 'node:v8'
import vm from 'node:vm'

/** How many file descriptors `pid` holds open. */
export function openDescriptors (pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).length
}

/** Resident set size of `pid`, in bytes. */
export function residentBytes (pid: number): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find(l => l.startsWith('VmRSS:'))
  const kib = Number(/(\d+)/.exec(line ?? '')?.[1])
  if (!Number.isFinite(kib)) throw new Error(`no VmRSS for process ${pid}`)
  return kib * 1024
}

export const MIB = 1024 * 1024

/** This process's heap in use once everything unreachable is collected: what it really keeps. */
export function retainedHeap (): number {
  v8.setFlagsFromString('--expose-gc')
  const gc = vm.runInNewContext('gc') as () => void
  gc()
  gc()
  return process.memoryUsage().heapUsed
}
