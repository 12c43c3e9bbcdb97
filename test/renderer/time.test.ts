import { describe, expect, it } from 'vitest'
import { dayKey, formatDay, formatRelative } from '../../renderer/src/lib/time.ts'

describe('time formatting', () => {
  const now = new Date(2024, 4, 15, 10, 0).getTime()

  it('keys days by local calendar date', () => {
    expect(dayKey(new Date(2024, 0, 2, 23, 59).getTime())).toBe('2024-01-02')
  })

  it('names today and yesterday', () => {
    expect(formatDay(new Date(2024, 4, 15, 0, 1).getTime(), now)).toBe('Today')
    expect(formatDay(new Date(2024, 4, 14, 23, 59).getTime(), now)).toBe('Yesterday')
  })

  it('shows the year only for other years', () => {
    expect(formatDay(new Date(2024, 2, 3).getTime(), now)).not.toMatch(/2024/)
    expect(formatDay(new Date(2023, 2, 3).getTime(), now)).toMatch(/2023/)
  })
})

describe('relative time', () => {
  const now = Date.UTC(2024, 4, 15, 10, 0)

  it('counts in the largest whole unit, past and future', () => {
    expect(formatRelative(now - 95_000, now)).toBe('1 minute ago')
    expect(formatRelative(now + 28 * 60_000 + 30_000, now)).toBe('in 28 minutes')
    expect(formatRelative(now - 3 * 3_600_000, now)).toBe('3 hours ago')
    expect(formatRelative(now + 42_000, now)).toBe('in 42 seconds')
  })

  it('calls a moment either way now', () => {
    expect(formatRelative(now + 2000, now)).toBe('now')
    expect(formatRelative(now - 4000, now)).toBe('now')
  })
})
