import { memo } from 'react'
import { formatDay } from '../lib/time.ts'

export const DaySeparator = memo(function DaySeparator ({ timestamp }: { timestamp: number }) {
  return (
    <div className="day-separator" role="separator" aria-label={formatDay(timestamp)} data-testid="day-separator">
      <span className="day-separator__label">{formatDay(timestamp)}</span>
    </div>
  )
})
