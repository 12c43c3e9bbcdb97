import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import path from 'node:path'
import { readDescriptorLimit } from '../../core/limits/descriptor-limit.ts'
import { createTestnet, waitUntil } from '../helpers/testnet.ts'

const MODULE = path.resolve(import.meta.dirname, '../../core/limits/descriptor-limit.ts')

test('a process whose soft open-files limit was lowered after start gets it raised back to the hard limit', () => {
  // Node raises the limit itself when it starts; lowering it afterwards is what a runtime that does not (Electron) looks like.
  const script = `
    import { execFileSync } from 'node:child_process'
    import { raiseDescriptorLimit, readDescriptorLimit } from ${JSON.stringify(MODULE)}
    execFileSync('prlimit', ['--pid', String(process.pid), '--nofile=512:'])
    const lowered = readDescriptorLimit()
    const raised = raiseDescriptorLimit((problem) => { console.error(problem) })
    console.log(JSON.stringify({ lowered, raised }))
  `
  const run = spawnSync('prlimit', ['--nofile=1024:4096', process.execPath, '--input-type=module', '-e', script], { encoding: 'utf8' })
  assert.equal(run.status, 0, run.stderr)
  const { lowered, raised } = JSON.parse(run.stdout) as Record<string, { soft: number; hard: number }>
  assert.deepEqual(lowered, { soft: 512, hard: 4096 })
  assert.deepEqual(raised, { soft: 4096, hard: 4096 })
})

test('readDescriptorLimit reads this process\'s limits as prlimit reports them', () => {
  const limit = readDescriptorLimit()
  assert.ok(limit !== null)
  const [soft, hard] = execFileSync('prlimit', ['--pid', String(process.pid), '--nofile', '--output', 'SOFT,HARD', '--noheadings'], { encoding: 'utf8' }).trim().split(/\s+/)
  const value = (s: string | undefined): number => s === 'unlimited' ? Infinity : Number(s)
  assert.deepEqual(limit, { soft: value(soft), hard: value(hard) })
})

test('a daemon started with a low soft limit runs with its hard limit and sizes its connection budget by it', async () => {
  const testnet = await createTestnet()
  try {
    const daemon = testnet.daemon('limited', { openFiles: { soft: 256, hard: 1024 } })
    await daemon.call('identity.get', {})
    assert.deepEqual(readDescriptorLimit(daemon.pid), { soft: 1024, hard: 1024 })
    const line = await waitUntil(() => daemon.stderr.find(l => l.includes('connection limits')), 5_000, 'the connection limits in the log')
    assert.match(line, /openFiles=1024 maxInbound=448 /)
  } finally {
    await testnet.close()
  }
})
