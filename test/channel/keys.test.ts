import { test } from 'node:test'
import assert from 'node:assert/strict'
import { channelIdOf, infohashesToAnnounce, infohashOf, pskOf, utcDay } from '../../core/channel/keys.ts'
import { toHex } from '../../core/codec/hex.ts'

const secret = Uint8Array.from({ length: 32 }, (_, i) => i)
const other = Uint8Array.from({ length: 32 }, (_, i) => 255 - i)
const DAY = 86_400_000
const HOUR = 3_600_000

// Expected values from Python's hashlib.blake2b(label, key=secret, digest_size=n): an independent implementation.
test('derives the channel id, PSK and infohash of PROTOCOL §1.3', () => {
  assert.equal(channelIdOf(secret), 'e41deea05cea56caeaf62861e2753e7b942f7f49af996a7e68a19784872e2025')
  assert.equal(toHex(pskOf(secret)), '8ca1b22b57868d00ce357bf31ed09b0c9e1fd685b3f614741ce558005b9ba866')
  assert.equal(toHex(infohashOf(secret, 19000)), 'f79854c1ebcc299e0b35c1be50b60c5cea7d48f8')
})

test('derivations are deterministic', () => {
  assert.equal(channelIdOf(secret), channelIdOf(Uint8Array.from(secret)))
  assert.deepEqual(pskOf(secret), pskOf(secret))
  assert.deepEqual(infohashOf(secret, 20000), infohashOf(secret, 20000))
})

test('each purpose and each secret gives a different value', () => {
  const values = [channelIdOf(secret), toHex(pskOf(secret)), channelIdOf(other), toHex(pskOf(other)), toHex(infohashOf(secret, 1)), toHex(infohashOf(other, 1))]
  assert.equal(new Set(values).size, values.length)
  assert.equal(infohashOf(secret, 1).length, 20)
})

test('the infohash changes every day', () => {
  const hashes = Array.from({ length: 30 }, (_, d) => toHex(infohashOf(secret, 20000 + d)))
  assert.equal(new Set(hashes).size, 30)
})

test('rejects a secret that is not 32 bytes and a day that is not a u32', () => {
  assert.throws(() => channelIdOf(new Uint8Array(31)), RangeError)
  assert.throws(() => pskOf(new Uint8Array(33)), RangeError)
  assert.throws(() => infohashOf(secret, -1), RangeError)
  assert.throws(() => infohashOf(secret, 1.5), RangeError)
  assert.throws(() => infohashOf(secret, 2 ** 32), RangeError)
})

test('utcDay counts whole UTC days since the epoch', () => {
  assert.equal(utcDay(0), 0)
  assert.equal(utcDay(DAY - 1), 0)
  assert.equal(utcDay(DAY), 1)
  assert.equal(utcDay(Date.UTC(2024, 0, 1, 23, 59)), 19723)
})

test('announces only the current day in the middle of the day', () => {
  const now = 20000 * DAY + 12 * HOUR
  assert.deepEqual(infohashesToAnnounce(secret, now), [{ day: 20000, infohash: infohashOf(secret, 20000) }])
})

test('also announces the previous day during the first hour', () => {
  assert.deepEqual(infohashesToAnnounce(secret, 20000 * DAY).map(x => x.day), [20000, 19999])
  assert.deepEqual(infohashesToAnnounce(secret, 20000 * DAY + HOUR - 1).map(x => x.day), [20000, 19999])
  assert.deepEqual(infohashesToAnnounce(secret, 20000 * DAY + HOUR).map(x => x.day), [20000])
})

test('also announces the next day during the last hour', () => {
  assert.deepEqual(infohashesToAnnounce(secret, 20001 * DAY - HOUR - 1).map(x => x.day), [20000])
  assert.deepEqual(infohashesToAnnounce(secret, 20001 * DAY - HOUR).map(x => x.day), [20000, 20001])
  assert.deepEqual(infohashesToAnnounce(secret, 20001 * DAY - 1).map(x => x.day), [20000, 20001])
})

test('peers whose clocks differ by up to an hour share an infohash', () => {
  for (let t = 20000 * DAY - 2 * HOUR; t <= 20000 * DAY + 2 * HOUR; t += 7 * 60_000) {
    const mine = new Set(infohashesToAnnounce(secret, t).map(x => x.day))
    for (const skew of [-HOUR, HOUR]) {
      assert.ok(infohashesToAnnounce(secret, t + skew).some(x => mine.has(x.day)), `t=${t} skew=${skew}`)
    }
  }
})
