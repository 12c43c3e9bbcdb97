// Values derived from a channel's secret (PROTOCOL §1.3). Each purpose has its own label,
// so knowing one value (a tracker sees the infohash) reveals nothing about the others. The channel id
// comes from the genesis secret for good; the PSK and infohashes from the current epoch's key (§4.10),
// which is the genesis secret at epoch 0.
import { toHex } from '../codec/hex.ts'
import { utf8Encode } from '../codec/utf8.ts'
import { blake2b } from '../crypto/native.ts'
import { EPOCH_CHECK_BYTES } from '../wire/entry-kinds.ts'
import { SECRET_BYTES } from './descriptor.ts'

const CHANNEL_ID_LABEL = utf8Encode('bitchat v1 channel-id')
const PSK_LABEL = utf8Encode('bitchat v1 noise-psk')
const INFOHASH_LABEL = utf8Encode('bitchat v1 infohash')
const EPOCH_CHECK_LABEL = utf8Encode('bitchat v5 epoch-check')
const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000

export function channelIdOf (secret: Uint8Array): string {
  return toHex(derive(secret, 32, CHANNEL_ID_LABEL))
}

export function pskOf (secret: Uint8Array): Uint8Array {
  return derive(secret, 32, PSK_LABEL)
}

/** Which key of an epoch a new-epoch entry gives (PROTOCOL §4.10), in hex: names the key, reveals nothing of it. */
export function epochCheckOf (key: Uint8Array): string {
  return toHex(derive(key, EPOCH_CHECK_BYTES, EPOCH_CHECK_LABEL))
}

/** The 20-byte infohash for UTC day `day` (days since the Unix epoch). */
export function infohashOf (secret: Uint8Array, day: number): Uint8Array {
  if (!Number.isInteger(day) || day < 0 || day > 0xffffffff) throw new RangeError(`day must be a u32, not ${day}`)
  const message = new Uint8Array(INFOHASH_LABEL.length + 4)
  message.set(INFOHASH_LABEL)
  new DataView(message.buffer).setUint32(INFOHASH_LABEL.length, day)
  return derive(secret, 20, message)
}

export function utcDay (ms: number): number {
  return Math.floor(ms / DAY_MS)
}

/**
 * Today's infohash, plus yesterday's during the first hour of the day and tomorrow's during
 * the last, so that peers whose clocks differ by up to an hour still share one.
 */
export function infohashesToAnnounce (secret: Uint8Array, nowMs: number): Array<{ day: number; infohash: Uint8Array }> {
  const today = utcDay(nowMs)
  const intoDay = nowMs - today * DAY_MS
  const days = [today]
  if (intoDay < HOUR_MS && today > 0) days.push(today - 1)
  if (intoDay >= DAY_MS - HOUR_MS) days.push(today + 1)
  return days.map(day => ({ day, infohash: infohashOf(secret, day) }))
}

function derive (secret: Uint8Array, length: number, label: Uint8Array): Uint8Array {
  if (secret.length !== SECRET_BYTES) throw new RangeError(`a channel secret is ${SECRET_BYTES} bytes, not ${secret.length}`)
  return blake2b(length, label, secret)
}
