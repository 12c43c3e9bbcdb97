// Waiting in tests for what really happens, never for a guessed number of milliseconds.
import type { EventEmitter } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'

const POLL_MS = 25

/** Polls `check` until it returns a value that is not undefined/false, or fails after `timeoutMs`. */
export async function waitUntil<T> (check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(POLL_MS)
  }
}

/**
 * Resolves with the arguments of the first `name` event that `match` accepts (as `events.once`
 * does), or fails after `timeoutMs`. Listen before doing what should cause the event.
 */
export async function nextEvent<M extends Record<keyof M, unknown[]>, K extends keyof M & string> (
  emitter: EventEmitter<M>,
  name: K,
  match: (...args: M[K]) => boolean = () => true,
  timeoutMs = 10_000
): Promise<M[K]> {
  // Node's typed emitter cannot take a listener for a key it does not know statically.
  const plain = emitter as unknown as EventEmitter
  return await new Promise((resolve, reject) => {
    const onEvent = (...args: unknown[]): void => {
      if (!match(...args as M[K])) return
      clearTimeout(timer)
      plain.off(name, onEvent)
      resolve(args as M[K])
    }
    const timer = setTimeout(() => {
      plain.off(name, onEvent)
      reject(new Error(`timed out after ${timeoutMs} ms waiting for a matching '${name}' event`))
    }, timeoutMs)
    plain.on(name, onEvent)
  })
}
