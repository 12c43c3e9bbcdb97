// The bench's output: one aligned table, the same shape as the README's performance table.
import type { Row } from './scenario.ts'

const COLUMNS = ['figure', 'value', 'baseline', 'ratio', 'target', 'met'] as const
const HEADINGS: Record<typeof COLUMNS[number], string> = {
  figure: 'figure',
  value: 'BitChat',
  baseline: 'anchor / baseline (same run)',
  ratio: 'ratio',
  target: 'target',
  met: 'met'
}

export function formatTable (rows: readonly Row[]): string {
  const widths = COLUMNS.map(k => Math.max(HEADINGS[k].length, ...rows.map(r => r[k].length)))
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ').trimEnd()
  return [
    line(COLUMNS.map(k => HEADINGS[k])),
    widths.map(w => '-'.repeat(w)).join('-|-'),
    ...rows.map(r => line(COLUMNS.map(k => r[k])))
  ].join('\n')
}

/** One row on its own line, for progress while the run goes on. */
export function formatRow (row: Row): string {
  return [row.figure, row.value, row.baseline, row.ratio, row.target === '' ? '' : `target ${row.target} (${row.met})`].filter(s => s !== '').join(' | ')
}
