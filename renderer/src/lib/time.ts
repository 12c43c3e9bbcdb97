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
