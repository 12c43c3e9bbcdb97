// Typing indicators in one channel (PROTOCOL §4.6), both ways. Ours: the app says when the user types
// or stops; members we are linked with hear it at most once per TYPING_REPEAT_MS while it lasts, and
// once when it stops. Theirs: a member is typing from its TYPING until it stops, writes a message, goes,
// or goes quiet for TYPING_EXPIRES_MS; the app hears only the changes.
import type { BitChatEvents } from '../api/contract.ts'
import { unrefTimer } from '../timers.ts'

/** How often a continuing "typing" is said again. */
export const TYPING_REPEAT_MS = 3_000
/** A member not heard typing again for this long has stopped. */
export const TYPING_EXPIRES_MS = 6_000

export interface TypingOptions {
  channelId: string
  /** Sends TYPING to every member we are linked with in the channel. */
  broadcast: (active: boolean) => void
  emit: (payload: BitChatEvents['typing']) => void
  now?: () => number
}

export class Typing {
  readonly #opts: TypingOptions
  readonly #now: () => number
  /** Members typing now, and the timer that ends it if they go quiet. */
  readonly #theirs = new Map<string, NodeJS.Timeout>()
  /** When we last said we are typing; null while we are not. */
  #saidAt: number | null = null

  constructor (opts: TypingOptions) {
    this.#opts = opts
    this.#now = opts.now ?? Date.now
  }

  /** The user typed (true) or stopped, sent or cleared the draft (false). */
  setOurs (active: boolean): void {
    const now = this.#now()
    if (active) {
      if (this.#saidAt !== null && now - this.#saidAt < TYPING_REPEAT_MS) return
      this.#saidAt = now
      this.#opts.broadcast(true)
    } else if (this.#saidAt !== null) {
      this.#saidAt = null
      this.#opts.broadcast(false)
    }
  }

  /** Our message went out: we are no longer typing it. */
  sent (): void {
    this.#saidAt = null
  }

  received (keyHex: string, active: boolean): void {
    if (active) this.#start(keyHex)
    else this.#end(keyHex)
  }

  /** A member's message arrived, or the member went: it is not typing any more. */
  ended (keyHex: string): void {
    this.#end(keyHex)
  }

  stop (): void {
    for (const timer of this.#theirs.values()) clearTimeout(timer)
    this.#theirs.clear()
  }

  #start (keyHex: string): void {
    const known = this.#theirs.get(keyHex)
    if (known !== undefined) clearTimeout(known)
    this.#theirs.set(keyHex, unrefTimer(() => { this.#end(keyHex) }, TYPING_EXPIRES_MS))
    if (known === undefined) this.#opts.emit({ channelId: this.#opts.channelId, publicKey: keyHex, typing: true })
  }

  #end (keyHex: string): void {
    const known = this.#theirs.get(keyHex)
    if (known === undefined) return
    clearTimeout(known)
    this.#theirs.delete(keyHex)
    this.#opts.emit({ channelId: this.#opts.channelId, publicKey: keyHex, typing: false })
  }
}
