// `npm run bench`: prints BitChat's speed figures next to the same work done by Holepunch's stack
// (hyperswarm, hyperdht, secret-stream) or a bare floor, measured in the same run, with the issue's
// targets. Figures are printed, never asserted: a loaded machine must not turn them into red tests.
//
//   node test/bench/run.ts [--only name[,name]] [--list] [--cpu-prof DIR]
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { BenchOptions, Row, Scenario } from './harness/scenario.ts'
import { runScenario } from './harness/runner.ts'
import { formatTable } from './harness/table.ts'
import { SCENARIOS } from './scenarios/index.ts'

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    list: { type: 'boolean' },
    'cpu-prof': { type: 'string' }
  }
})

if (values.list === true) {
  for (const s of SCENARIOS) console.log(`${s.name.padEnd(24)} ${s.about}`)
  process.exit(0)
}

const wanted = values.only?.split(',').map(s => s.trim()).filter(s => s !== '')
const unknown = wanted?.filter(name => !SCENARIOS.some(s => s.name === name)) ?? []
if (unknown.length > 0) {
  console.error(`unknown scenario: ${unknown.join(', ')} (see --list)`)
  process.exit(2)
}
const chosen: Scenario[] = wanted === undefined ? SCENARIOS : SCENARIOS.filter(s => wanted.includes(s.name))

const cpuProfDir = values['cpu-prof'] === undefined ? undefined : path.resolve(values['cpu-prof'])
if (cpuProfDir !== undefined) fs.mkdirSync(cpuProfDir, { recursive: true })
const options: BenchOptions = { cpuProfDir }

const rows: Row[] = []
let failed = 0
const started = performance.now()
for (const scenario of chosen) {
  if (!await runScenario(scenario, options, rows)) failed++
}
console.log()
console.log(formatTable(rows))
console.log(`\n${chosen.length} scenario(s) in ${Math.round((performance.now() - started) / 1000)} s${failed > 0 ? `, ${failed} failed` : ''}`)
// Some anchors (hyperdht's UDX sockets) keep handles a moment after their destroy: nothing is left to measure.
process.exit(failed > 0 ? 1 : 0)
