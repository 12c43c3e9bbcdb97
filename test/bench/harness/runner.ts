// Runs one scenario under its deadline: its rows go to the table, its teardowns always run, and a
// failure or a timeout becomes a row saying so instead of ending the whole bench.
import { errorMessage } from '../../../core/error-message.ts'
import type { BenchOptions, Row, Scenario, ScenarioContext } from './scenario.ts'
import { formatRow } from './table.ts'

/** A teardown still running after this is left behind (its processes are told to stop, or killed, by then). */
const TEARDOWN_TIMEOUT_MS = 20_000

/** Resolves true when the scenario finished, false when it failed or timed out. */
export async function runScenario (scenario: Scenario, options: BenchOptions, rows: Row[]): Promise<boolean> {
  const teardowns: Array<() => unknown> = []
  const abort = new AbortController()
  const started = performance.now()
  const note = (text: string): void => { process.stderr.write(`[${scenario.name} ${((performance.now() - started) / 1000).toFixed(1)} s] ${text}\n`) }
  const ctx: ScenarioContext = {
    report (row) {
      const full: Row = { baseline: '', ratio: '', target: '', met: '', ...row }
      rows.push(full)
      process.stderr.write(`[${scenario.name}] ${formatRow(full)}\n`)
    },
    defer (close) { teardowns.push(close) },
    note,
    signal: abort.signal,
    options
  }
  note('started')
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      abort.abort()
      reject(new Error(`timed out after ${Math.round(scenario.timeoutMs / 1000)} s`))
    }, scenario.timeoutMs)
  })
  const running = scenario.run(ctx)
  // Once timed out, what the abandoned run throws later (its daemons are gone) is no news.
  running.catch(() => {})
  let ok = true
  try {
    await Promise.race([running, timedOut])
  } catch (err) {
    ok = false
    abort.abort()
    note(`FAILED: ${errorMessage(err)}`)
    if (process.env.BENCH_DEBUG === '1') console.error(err)
    rows.push({ figure: `${scenario.name}: scenario failed`, value: errorMessage(err).slice(0, 160), baseline: '', ratio: '', target: '', met: '' })
  } finally {
    clearTimeout(timer)
  }
  for (const close of teardowns.reverse()) {
    let timer: NodeJS.Timeout | undefined
    try {
      await Promise.race([
        Promise.resolve().then(close),
        new Promise((_resolve, reject) => { timer = setTimeout(() => { reject(new Error(`still closing after ${TEARDOWN_TIMEOUT_MS / 1000} s`)) }, TEARDOWN_TIMEOUT_MS) })
      ])
    } catch (err) {
      note(`teardown failed: ${errorMessage(err)}`)
    } finally {
      clearTimeout(timer)
    }
  }
  note(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  return ok
}
