// What one bench scenario is, and what the runner gives it: a place for its rows and for the
// teardown of everything it starts (run even when the scenario fails or runs out of time).

/** A printed figure: BitChat's value next to the same work by a baseline measured in the same run. */
export interface Row {
  figure: string
  /** BitChat's figure, with its unit. */
  value: string
  /** Who did the same work and how well: "secret-stream 250 k/s", "raw TCP 0.011 ms". */
  baseline: string
  /** value / baseline, as "0.24×" (rates: higher is better; times: lower is better). */
  ratio: string
  /** The target for this figure, if it has one. */
  target: string
  /** Whether the target is met: 'yes', 'NO', or '' when there is no target. */
  met: string
}

export interface ScenarioContext {
  /** Adds a row to the printed table (and prints it at once, so a long run shows progress). */
  report (row: Partial<Row> & Pick<Row, 'figure' | 'value'>): void
  /** Runs `close` when the scenario ends, however it ends, latest first. */
  defer (close: () => unknown): void
  /** Progress for whoever watches (stderr): not part of the table. */
  note (text: string): void
  /** Aborted when the scenario runs out of time: long loops stop early. */
  signal: AbortSignal
  /** Options given on the command line (e.g. where to write CPU profiles). */
  options: BenchOptions
}

export interface BenchOptions {
  /** A directory for CPU profiles of the processes a scenario names (its receivers), or undefined. */
  cpuProfDir: string | undefined
}

export interface Scenario {
  /** What `--only` takes. */
  name: string
  /** One line for `--list`. */
  about: string
  /** After this the scenario is stopped, torn down and reported as failed. */
  timeoutMs: number
  run (ctx: ScenarioContext): Promise<void>
}

/** "yes" or "NO" for a target, so a reader sees misses at a glance. */
export function met (ok: boolean): string {
  return ok ? 'yes' : 'NO'
}

/** `close` made safe to call twice (once by the scenario when it needs things stopped, once by its teardown). */
export function once (close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | null = null
  return () => { closing ??= close(); return closing }
}
