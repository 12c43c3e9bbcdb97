/** Authors whose last live seq is remembered; past it the oldest is forgotten (any member can mint keys). */
const MAX_AUTHORS = 1024

/**
 * Whether a live message follows on from what we hold of its author, asked once per message
 * received: the store is asked only when the author's previous live message was not the seq
 * just before, so a steady stream costs no query per message.
 */
export class GapWatch {
  readonly #held: (author: Uint8Array, seq: number) => boolean
  readonly #lastLive = new Map<string, number>()

  constructor (held: (author: Uint8Array, seq: number) => boolean) {
    this.#held = held
  }

  /** True when `seq` - 1 is held (or `seq` is 1): no hole before this message. */
  follows (authorHex: string, author: Uint8Array, seq: number): boolean {
    const last = this.#lastLive.get(authorHex)
    this.#lastLive.delete(authorHex)
    if (this.#lastLive.size >= MAX_AUTHORS) this.#lastLive.delete(this.#lastLive.keys().next().value!)
    this.#lastLive.set(authorHex, Math.max(seq, last ?? 0))
    return seq === 1 || last === seq - 1 || this.#held(author, seq - 1)
  }
}
