import { compareBounds, MIN_BOUND, type Bound, type UpperBound } from '../history/bounds.ts'
import { FINGERPRINT_BYTES, ID_BYTES } from '../history/fingerprint.ts'
import type { RangeMode, WireRange } from '../history/reconciler.ts'
import { WireError, type Reader, type Writer } from './codec.ts'
import { AUTHOR_KEY_BYTES } from './group-message.ts'

/** Most ranges in one RANGES frame. */
export const MAX_RANGES = 128
/** Most ids in one RANGES frame (all its id lists together) and in one WANT. */
export const MAX_FRAME_IDS = 1024

const BOUND_END = 0
const BOUND_AT = 1
const MODE_SKIP = 0
const MODE_FINGERPRINT = 1
const MODE_IDS = 2
// Smallest range: an end bound and a skip.
const RANGE_MIN_BYTES = 2

/** Writes a RANGES body (PROTOCOL §4.2) after checking every rule a receiver checks. */
export function writeRanges (w: Writer, ranges: readonly WireRange[]): void {
  checkRanges(ranges)
  w.varint(ranges.length)
  for (const { upper, mode } of ranges) {
    if (upper === null) w.u8(BOUND_END)
    else w.u8(BOUND_AT).fixed(upper.author, AUTHOR_KEY_BYTES, 'RANGES bound author').varint(upper.seq)
    switch (mode.kind) {
      case 'skip':
        w.u8(MODE_SKIP)
        break
      case 'fingerprint':
        w.u8(MODE_FINGERPRINT).varint(mode.count).fixed(mode.fingerprint, FINGERPRINT_BYTES, 'RANGES fingerprint')
        break
      case 'ids':
        w.u8(MODE_IDS).varint(mode.ids.length)
        for (const id of mode.ids) w.fixed(id, ID_BYTES, 'RANGES id')
        break
    }
  }
}

export function readRanges (r: Reader): WireRange[] {
  const count = r.count(MAX_RANGES, RANGE_MIN_BYTES, 'RANGES count')
  const ranges: WireRange[] = []
  let ids = 0
  for (let i = 0; i < count; i++) {
    const tag = r.u8('RANGES bound')
    let upper: UpperBound
    if (tag === BOUND_END) upper = null
    else if (tag === BOUND_AT) upper = { author: r.fixed(AUTHOR_KEY_BYTES, 'RANGES bound author'), seq: r.varint('RANGES bound seq') }
    else throw new WireError(`unknown RANGES bound tag ${tag}`)
    const modeTag = r.u8('RANGES mode')
    let mode: RangeMode
    if (modeTag === MODE_SKIP) {
      mode = { kind: 'skip' }
    } else if (modeTag === MODE_FINGERPRINT) {
      mode = { kind: 'fingerprint', count: r.varint('RANGES fingerprint count'), fingerprint: r.fixed(FINGERPRINT_BYTES, 'RANGES fingerprint') }
    } else if (modeTag === MODE_IDS) {
      const n = r.count(MAX_FRAME_IDS - ids, ID_BYTES, 'RANGES id count')
      ids += n
      const list: Uint8Array[] = []
      for (let j = 0; j < n; j++) list.push(r.fixed(ID_BYTES, 'RANGES id'))
      mode = { kind: 'ids', ids: list }
    } else {
      throw new WireError(`unknown RANGES mode ${modeTag}`)
    }
    ranges.push({ upper, mode })
  }
  checkRanges(ranges)
  return ranges
}

/**
 * The rules both ends hold a RANGES frame to: 1..MAX_RANGES ranges whose upper bounds rise
 * strictly from MIN_BOUND and end with the end of the order (so the frame covers everything once),
 * at most MAX_FRAME_IDS ids in all, none listed twice in a range.
 */
function checkRanges (ranges: readonly WireRange[]): void {
  if (ranges.length < 1 || ranges.length > MAX_RANGES) throw new WireError(`RANGES has ${ranges.length} ranges, outside 1..${MAX_RANGES}`)
  let lower: Bound = MIN_BOUND
  let ids = 0
  for (const [i, { upper, mode }] of ranges.entries()) {
    const last = i === ranges.length - 1
    if (last !== (upper === null)) throw new WireError(last ? 'the last RANGES range must end at the end of the order' : 'only the last RANGES range may end at the end of the order')
    if (upper !== null) {
      if (upper.author.length !== AUTHOR_KEY_BYTES) throw new WireError('RANGES bound author must be 32 bytes')
      if (compareBounds(upper, lower) <= 0) throw new WireError('RANGES bounds must rise strictly')
      lower = upper
    }
    if (mode.kind === 'ids') {
      ids += mode.ids.length
      if (new Set(mode.ids.map(id => Buffer.from(id).toString('hex'))).size !== mode.ids.length) throw new WireError('a RANGES id list names an id twice')
    }
  }
  if (ids > MAX_FRAME_IDS) throw new WireError(`RANGES lists ${ids} ids, above the limit of ${MAX_FRAME_IDS}`)
}

export function writeIds (w: Writer, ids: readonly Uint8Array[], what: string): void {
  if (ids.length < 1 || ids.length > MAX_FRAME_IDS) throw new WireError(`${what} has ${ids.length} ids, outside 1..${MAX_FRAME_IDS}`)
  w.varint(ids.length)
  for (const id of ids) w.fixed(id, ID_BYTES, `${what} id`)
}

export function readIds (r: Reader, what: string): Uint8Array[] {
  const n = r.count(MAX_FRAME_IDS, ID_BYTES, `${what} id count`)
  if (n === 0) throw new WireError(`${what} must name at least one id`)
  const ids: Uint8Array[] = []
  for (let i = 0; i < n; i++) ids.push(r.fixed(ID_BYTES, `${what} id`))
  return ids
}
