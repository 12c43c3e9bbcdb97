const DAY_MS = 86_400_000

/** Local calendar day, so separators fall at the user's midnight rather than UTC's. */
export function dayKey (timestamp: number): string {
  const d = new Date(timestamp)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

const weekdayDate = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' })
const fullDate = new Intl.DateTimeFormat(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' })
const clock = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' })
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' })

export function formatDay (timestamp: number, now: number = Date.now()): string {
  const key = dayKey(timestamp)
  if (key === dayKey(now)) return 'Today'
  if (key === dayKey(now - DAY_MS)) return 'Yesterday'
  const sameYear = new Date(timestamp).getFullYear() === new Date(now).getFullYear()
  return (sameYear ? weekdayDate : fullDate).format(timestamp)
}

export function formatTime (timestamp: number): string {
  return clock.format(timestamp)
}

export function formatDateTime (timestamp: number): string {
  return dateTime.format(timestamp)
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' })
const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [['day', 86_400], ['hour', 3600], ['minute', 60]]

/** "3 minutes ago", "in 25 minutes", "now": how far `timestamp` is from `now`, in the largest whole unit. */
export function formatRelative (timestamp: number, now: number): string {
  const seconds = Math.round((timestamp - now) / 1000)
  // Within a few seconds either way the exact count is noise.
  if (Math.abs(seconds) < 5) return relative.format(0, 'second')
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.trunc(seconds / size), unit)
  }
  return relative.format(seconds, 'second')
}
