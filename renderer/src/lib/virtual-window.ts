/** offsets[i] is the top of row i; offsets[n] is the total height. */
export function prefixOffsets (heights: readonly number[]): Float64Array {
  const offsets = new Float64Array(heights.length + 1)
  for (let i = 0; i < heights.length; i++) offsets[i + 1] = offsets[i]! + heights[i]!
  return offsets
}

/** Index of the row containing `y` (clamped), by binary search over the offsets. */
export function rowAt (offsets: Float64Array, y: number): number {
  const count = offsets.length - 1
  if (count <= 0) return 0
  let lo = 0
  let hi = count - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1
    if (offsets[mid]! <= y) lo = mid
    else hi = mid - 1
  }
  return lo
}

export interface RowRange { start: number; end: number }

/** Rows to render for a viewport, with `overscan` extra rows either side so fast scrolling shows no gaps. */
export function visibleRange (offsets: Float64Array, scrollTop: number, viewportHeight: number, overscan: number): RowRange {
  const count = offsets.length - 1
  if (count <= 0) return { start: 0, end: 0 }
  const first = rowAt(offsets, scrollTop)
  const last = rowAt(offsets, scrollTop + Math.max(viewportHeight, 0))
  return { start: Math.max(0, first - overscan), end: Math.min(count, last + 1 + overscan) }
}
