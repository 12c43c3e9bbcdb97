// Timing helpers shared by every layer that schedules network work.

/** setTimeout's largest delay: beyond it Node fires after 1 ms, which would turn a long wait into a busy loop. */
export const MAX_TIMER_MS = 2 ** 31 - 1

/** `ms` spread by ±fraction, so many nodes (or many timers of one node) do not fire in lockstep; never above MAX_TIMER_MS. */
export function jittered (ms: number, fraction: number, random: () => number = Math.random): number {
  return Math.min(Math.round(ms * (1 - fraction + 2 * fraction * random())), MAX_TIMER_MS)
}

/** A timer that never keeps the process alive on its own. */
export function unrefTimer (fn: () => void, ms: number): NodeJS.Timeout {
  const t = setTimeout(fn, ms)
  t.unref()
  return t
}

/** Runs `fn` at once, then at most once per `ms` while calls keep coming; a call in between is run at the end of the wait, never lost. */
export function throttled (fn: () => void, ms: number): { call: () => void; cancel: () => void } {
  let timer: NodeJS.Timeout | null = null
  let pending = false
  const call = (): void => {
    if (timer !== null) {
      pending = true
      return
    }
    fn()
    timer = unrefTimer(() => {
      timer = null
      if (!pending) return
      pending = false
      call()
    }, ms)
  }
  return {
    call,
    cancel: () => {
      if (timer !== null) clearTimeout(timer)
      timer = null
      pending = false
    }
  }
}

/** Time and timers, injectable so a test can run through minutes of backoff at once. */
export interface Clock {
  now (): number
  /** Runs `fn` after `ms` (never keeping the process alive); the returned function cancels it. */
  after (ms: number, fn: () => void): () => void
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after: (ms, fn) => {
    const timer = unrefTimer(fn, ms)
    return () => { clearTimeout(timer) }
  }
}
