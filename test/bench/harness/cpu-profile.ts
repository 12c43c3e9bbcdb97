// Where a process spent its CPU, from the .cpuprofile file `node --cpu-prof` writes at exit: the
// functions and files with the most self time, as lines to print.
import fs from 'node:fs'
import path from 'node:path'

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

/** The `top` functions and files by self time, each with its share of the busy time. */
export function summarizeProfile (file: string, top = 15): string[] {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile
  const byNode = new Map(profile.nodes.map(n => [n.id, n]))
  const selfUs = new Map<number, number>()
  profile.samples.forEach((id, i) => { selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)) })
  // Shares are of the time the process was busy: waiting for input is not a cost.
  for (const [id, node] of byNode) if (node.callFrame.functionName === '(idle)') selfUs.delete(id)
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0)
  const byFunction = new Map<string, number>()
  const byFile = new Map<string, number>()
  for (const [id, us] of selfUs) {
    const frame = byNode.get(id)?.callFrame
    if (frame === undefined) continue
    const file = frame.url === '' ? '(native)' : shortUrl(frame.url)
    const name = `${frame.functionName === '' ? '(anonymous)' : frame.functionName} ${file}${frame.url === '' ? '' : `:${frame.lineNumber + 1}`}`
    byFunction.set(name, (byFunction.get(name) ?? 0) + us)
    byFile.set(file, (byFile.get(file) ?? 0) + us)
  }
  const share = (us: number): string => `${(100 * us / total).toFixed(1).padStart(5)}%`
  const ranked = (m: Map<string, number>, n: number): string[] => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => `${share(us)}  ${k}`)
  return [
    `${path.basename(file)}: ${(total / 1000).toFixed(0)} ms busy (idle left out)`,
    'top functions by self time:',
    ...ranked(byFunction, top),
    'top files by self time:',
    ...ranked(byFile, 10)
  ]
}

/** A file URL as a path from the package root when it is inside one, else the last two parts. */
function shortUrl (url: string): string {
  const p = url.replace(/^file:\/\//, '')
  const at = Math.max(p.lastIndexOf('/core/'), p.lastIndexOf('/node_modules/'))
  if (at >= 0) return p.slice(at + 1)
  return p.split('/').slice(-2).join('/')
}
