import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import path from 'node:path'
import { createLogger } from '../../core/log.ts'

const SAFETY_NET = path.resolve(import.meta.dirname, '../../core/safety-net.ts')
const LOG = path.resolve(import.meta.dirname, '../../core/log.ts')

/** Runs `body` in a fresh Node process, with or without the safety net; resolves to its exit code and output. */
async function runChild (body: string, withNet: boolean): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = `
    import { installSafetyNet } from ${JSON.stringify(SAFETY_NET)}
    import { createLogger } from ${JSON.stringify(LOG)}
    if (${withNet}) installSafetyNet(process, createLogger())
    ${body}
  `
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  const [code] = await once(child, 'exit') as [number | null]
  return { code, stdout, stderr }
}

// One channel's stray rejection and one timer's throw, then proof the process carried on.
const FAULTS = `
  Promise.reject(new Error('one channel failed'))
  setTimeout(() => { throw new Error('one timer failed') }, 10)
  setTimeout(() => { process.stdout.write('still serving'); process.exit(0) }, 100)
`

test('without the safety net a stray rejection kills the process', async () => {
  const { code, stdout } = await runChild(FAULTS, false)
  assert.notEqual(code, 0)
  assert.equal(stdout, '')
})

test('with the safety net the process logs the rejection and the exception, and keeps running', async () => {
  const { code, stdout, stderr } = await runChild(FAULTS, true)
  assert.equal(code, 0, stderr)
  assert.equal(stdout, 'still serving')
  assert.match(stderr, /ERROR unhandled promise rejection; kept running error=Error: one channel failed/)
  assert.match(stderr, /ERROR uncaught exception; kept running error=Error: one timer failed/)
})

test('uninstalling gives the process its default behaviour back', async () => {
  const { installSafetyNet } = await import('../../core/safety-net.ts')
  const proc = new (await import('node:events')).EventEmitter()
  const lines: string[] = []
  const uninstall = installSafetyNet(proc, createLogger({ write: line => { lines.push(line) } }))
  proc.emit('unhandledRejection', new Error('x'))
  uninstall()
  assert.equal(proc.listenerCount('unhandledRejection') + proc.listenerCount('uncaughtException'), 0)
  assert.equal(lines.length, 1)
})
