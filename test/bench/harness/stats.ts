// The few statistics the bench prints: order statistics over samples, and numbers as people read them.

/** The sample at fraction `p` of `sorted` (ascending); NaN when there is none. */
export function percentile (sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN
}

/** The median of `samples`, in any order. */
export function median (samples: readonly number[]): number {
  return percentile([...samples].sort((x, y) => x - y), 0.5)
}

export function sortAscending (samples: number[]): number[] {
  return samples.sort((x, y) => x - y)
}

/** Fixed digits, thousands grouped: 29300.4 → "29,300". */
export function fmt (n: number, digits = 1): string {
  if (!Number.isFinite(n)) return String(n)
  return n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

/** A ratio as "0.24×", or "" when either side is missing. */
export function ratioText (ours: number, anchor: number, digits = 2): string {
  if (!Number.isFinite(ours) || !Number.isFinite(anchor) || anchor === 0) return ''
  return `${fmt(ours / anchor, digits)}×`
}

/** The spread of repeated runs, as people judge noise: "min–max". */
export function spread (samples: readonly number[], digits = 0): string {
  if (samples.length < 2) return ''
  return `${fmt(Math.min(...samples), digits)}–${fmt(Math.max(...samples), digits)}`
}
