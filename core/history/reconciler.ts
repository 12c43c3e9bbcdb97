import { MIN_BOUND, type Bound, type UpperBound } from './bounds.ts'
import { fingerprintOf } from './fingerprint.ts'
import { bytesEqual } from '../codec/bytes.ts'
import type { HistoryIndex } from './history-index.ts'

// Range-based set reconciliation (as in Aljoscha Meyer's paper and the negentropy protocol) over
// every signed entry of a channel. Both sides describe what they hold in a range either by a
// fingerprint or, when small, by the ids themselves; equal fingerprints settle a range, different
// ones are split until the differences are found. It finds every missing entry whatever order
// entries arrived in, and different entries under one (author, seq) never look the same.

export type RangeMode =
  | { kind: 'skip' }
  | { kind: 'fingerprint'; count: number; fingerprint: Uint8Array }
  | { kind: 'ids'; ids: Uint8Array[] }

/** One range of a RANGES frame; its lower bound is the previous range's upper (MIN_BOUND for the first). */
export interface WireRange {
  upper: UpperBound
  mode: RangeMode
}

/** Entries to send the peer: everything in [lower, upper) except the ids (hex) it listed. */
export interface PushJob {
  lower: Bound
  upper: UpperBound
  except: ReadonlySet<string>
}

export interface Answer {
  /** The RANGES frame to send back; all-skip when the exchange is over. */
  reply: WireRange[]
  /** True when `reply` settles everything: it ends the exchange and is not answered. */
  done: boolean
  push: PushJob[]
  /** Ids the peer holds and we lack (and want). */
  want: Uint8Array[]
  /** True when ranges we lack were left to other members (`Spread`): a later exchange must check nothing was missed. */
  leftToOthers: boolean
}

/**
 * Which share of a large catch-up to fetch from this peer: of the parts the whole order is split
 * into, those whose position modulo `of` is `index`. Members holding the same log split it at the
 * same bounds, so a newcomer talking to `of` of them fetches each part once, from one of them.
 */
export interface Spread { index: number; of: number }

export const ALONE: Spread = Object.freeze({ index: 0, of: 1 })

/** A range worth fetching from several members at once holds at least this many entries. */
export const SPREAD_MIN = 1024

export interface ReconcilePolicy {
  /** A differing range with more entries than this is split; one with fewer is answered with its ids. */
  idsThreshold: number
  /** How many parts a differing range is split into. */
  splitParts: number
  /** Most ranges in one reply. */
  maxRanges: number
  /** Most ids in one reply. */
  maxIds: number
}

export const DEFAULT_POLICY: ReconcilePolicy = { idsThreshold: 32, splitParts: 16, maxRanges: 128, maxIds: 1024 }

/** The frame that opens an exchange: one fingerprint of everything held. */
export function openingRanges (index: HistoryIndex): WireRange[] {
  const all = index.summarize(MIN_BOUND, null)
  return [{ upper: null, mode: { kind: 'fingerprint', count: all.count, fingerprint: fingerprintOf(all) } }]
}

/**
 * Answers one RANGES frame. `wanted` filters the ids we would ask for (an entry we refused, or
 * one held back until its time, is not asked for again). The reply covers the whole order, as
 * every frame does. When the reply runs out of room, what is left of the order is answered with
 * one fingerprint of ours, which the peer splits in its turn: every frame settles or narrows its
 * first differing range, so an exchange always ends.
 */
export function answerRanges (index: HistoryIndex, ranges: readonly WireRange[], wanted: (id: Uint8Array) => boolean, policy: ReconcilePolicy = DEFAULT_POLICY, spread: Spread = ALONE): Answer {
  const reply = new ReplyBuilder(policy)
  const push: PushJob[] = []
  const want: Uint8Array[] = []
  const whole = ranges.length === 1 && ranges[0]!.upper === null
  const splitOfWhole = spread.of > 1 && ranges.length > 1 && ranges.every(r => r.mode.kind === 'fingerprint')
  let leftToOthers = false
  let lower = MIN_BOUND
  for (const [position, { upper, mode }] of ranges.entries()) {
    switch (mode.kind) {
      case 'skip':
        reply.skip(lower, upper)
        break
      case 'ids': {
        const theirs = new Set<string>()
        for (const id of mode.ids) {
          theirs.add(Buffer.from(id).toString('hex'))
          if (!index.has(id) && wanted(id)) want.push(id)
        }
        push.push({ lower, upper, except: theirs })
        reply.skip(lower, upper)
        break
      }
      case 'fingerprint': {
        if (reply.overflowing) {
          // Answered by the closing fingerprint; only a range the peer holds nothing of is settled now.
          if (mode.count === 0) push.push({ lower, upper, except: new Set() })
          break
        }
        const mine = index.summarize(lower, upper)
        const lacking = mode.count > policy.idsThreshold && mode.count >= 2 * mine.count
        if (mine.count === mode.count && bytesEqual(fingerprintOf(mine), mode.fingerprint)) {
          reply.skip(lower, upper)
        } else if (splitOfWhole && lacking && position % spread.of !== spread.index) {
          leftToOthers = true
          reply.skip(lower, upper)
        } else if (whole && spread.of > 1 && mode.count >= SPREAD_MIN && mine.count <= policy.idsThreshold) {
          // Holding next to nothing of a large log: our fingerprint instead of our ids makes the
          // peer split the order into parts, which we share out among the members we talk to.
          reply.add({ upper, mode: { kind: 'fingerprint', count: mine.count, fingerprint: fingerprintOf(mine) } })
        } else if (mode.count === 0 && !(whole && mine.count >= SPREAD_MIN)) {
          push.push({ lower, upper, except: new Set() })
          reply.skip(lower, upper)
        } else if (mine.count <= policy.idsThreshold) {
          if (reply.fitsIds(mine.count)) reply.add({ upper, mode: { kind: 'ids', ids: index.ids(lower, upper) } })
          else reply.overflow(lower)
        } else {
          const parts = Math.min(policy.splitParts, reply.room)
          if (parts >= 2) {
            for (const part of index.split(lower, upper, parts)) {
              reply.add({ upper: part.upper, mode: { kind: 'fingerprint', count: part.summary.count, fingerprint: fingerprintOf(part.summary) } })
            }
          } else {
            reply.overflow(lower)
          }
        }
        break
      }
    }
    if (upper !== null) lower = upper
  }
  return { reply: reply.finish(index), done: reply.allSkip, push, want, leftToOthers }
}

/**
 * Collects a reply within the frame limits, merging neighbouring skips so a settled stretch costs
 * one range, and keeping one range for the closing fingerprint of whatever did not fit.
 */
class ReplyBuilder {
  readonly #ranges: WireRange[] = []
  readonly #policy: ReconcilePolicy
  #ids = 0
  #tailFrom: Bound | null = null
  allSkip = true

  constructor (policy: ReconcilePolicy) {
    this.#policy = policy
  }

  get overflowing (): boolean { return this.#tailFrom !== null }

  /** Ranges that can still be added, one kept for the closing fingerprint. */
  get room (): number { return this.#policy.maxRanges - 1 - this.#ranges.length }

  fitsIds (n: number): boolean {
    return this.room >= 1 && this.#ids + n <= this.#policy.maxIds
  }

  skip (lower: Bound, upper: UpperBound): void {
    if (this.overflowing) return
    const last = this.#ranges.at(-1)
    if (last !== undefined && last.mode.kind === 'skip') last.upper = upper
    else if (this.room < 1) this.overflow(lower)
    else this.#ranges.push({ upper, mode: { kind: 'skip' } })
  }

  add (range: WireRange): void {
    this.allSkip = false
    if (range.mode.kind === 'ids') this.#ids += range.mode.ids.length
    this.#ranges.push(range)
  }

  /** From `lower` on, the reply is one fingerprint of ours. */
  overflow (lower: Bound): void {
    this.#tailFrom = lower
    this.allSkip = false
  }

  finish (index: HistoryIndex): WireRange[] {
    if (this.#tailFrom !== null) {
      const mine = index.summarize(this.#tailFrom, null)
      this.#ranges.push({ upper: null, mode: { kind: 'fingerprint', count: mine.count, fingerprint: fingerprintOf(mine) } })
    }
    return this.#ranges
  }
}
