import { describe, expect, it } from 'vitest'
import { prefixOffsets, rowAt, visibleRange } from '../../renderer/src/lib/virtual-window.ts'

describe('virtual window', () => {
  const offsets = prefixOffsets([10, 20, 30, 40])

  it('computes the top of every row and the total height', () => {
    expect([...offsets]).toEqual([0, 10, 30, 60, 100])
  })

  it('finds the row containing a position, clamped to the list', () => {
    expect(rowAt(offsets, 0)).toBe(0)
    expect(rowAt(offsets, 29.9)).toBe(1)
    expect(rowAt(offsets, 30)).toBe(2)
    expect(rowAt(offsets, 1000)).toBe(3)
    expect(rowAt(offsets, -5)).toBe(0)
  })

  it('covers the viewport plus overscan rows on each side', () => {
    expect(visibleRange(offsets, 30, 20, 0)).toEqual({ start: 2, end: 3 })
    expect(visibleRange(offsets, 30, 20, 1)).toEqual({ start: 1, end: 4 })
  })

  it('keeps the window small for a long list', () => {
    const many = prefixOffsets(new Array<number>(5000).fill(50))
    const range = visibleRange(many, 100_000, 600, 5)
    expect(range.end - range.start).toBeLessThanOrEqual(13 + 10)
    expect(range.start).toBe(1995)
  })

  it('gives an empty range for an empty list', () => {
    expect(visibleRange(prefixOffsets([]), 0, 500, 3)).toEqual({ start: 0, end: 0 })
  })
})
