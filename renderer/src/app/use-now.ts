import { useEffect, useState } from 'react'

/** The current time, renewed every `everyMs`: for relative times ("5 minutes ago") that should keep up. */
export function useNow (everyMs: number): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => { setNow(Date.now()) }, everyMs)
    return () => { clearInterval(timer) }
  }, [everyMs])
  return now
}
