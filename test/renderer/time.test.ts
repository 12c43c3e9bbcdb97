import { describe, expect, it } from 'vitest'
import { dayKey, formatDay } from '../../renderer/src/lib/time.ts'

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
