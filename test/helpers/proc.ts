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

/** The established TCP connections `pid` holds, as local and remote ports (what the kernel's tables say). */
export function establishedTcp (pid: number): Array<{ localPort: number; remotePort: number }> {
  const inodes = new Set<string>()
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      const target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`)
      const match = /^socket:\[(\d+)\]$/.exec(target)
      if (match !== null) inodes.add(match[1]!)
    } catch {}
  }
  const found: Array<{ localPort: number; remotePort: number }> = []
  for (const table of ['tcp', 'tcp6']) {
    let text = ''
    try { text = fs.readFileSync(`/proc/${pid}/net/${table}`, 'utf8') } catch { continue }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/)
      // local, remote, state (01 = ESTABLISHED), ..., inode (column 10)
      if (fields.length < 10 || fields[3] !== '01' || !inodes.has(fields[9]!)) continue
      const port = (address: string): number => parseInt(address.split(':')[1] ?? '0', 16)
      found.push({ localPort: port(fields[1]!), remotePort: port(fields[2]!) })
    }
  }
  return found
}

/** How many TCP connections join the two processes. */
export function connectionsBetween (pidA: number, pidB: number): number {
  const portsOfB = new Set(establishedTcp(pidB).map(c => c.localPort))
  return establishedTcp(pidA).filter(c => portsOfB.has(c.remotePort)).length
}

/** Bytes `pid` has written through write system calls so far (sockets and files alike). */
export function writtenBytes (pid: number): number {
  const line = fs.readFileSync(`/proc/${pid}/io`, 'utf8').split('\n').find(l => l.startsWith('wchar:'))
  return Number(line?.split(/\s+/)[1] ?? 0)
}
