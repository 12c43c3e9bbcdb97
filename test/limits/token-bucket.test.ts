import { test } from 'node:test'
import assert from 'node:assert/strict'
import { TokenBucket } from '../../core/limits/token-bucket.ts'
import { SourceRateLimiter } from '../../core/limits/source-rate-limiter.ts'
import { sourceOf } from '../../core/limits/source.ts'

function clock (): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000_000
  return { now: () => t, advance: (ms) => { t += ms } }
}

test('a token bucket allows its burst at once, then its rate', () => {
  const c = clock()
  const bucket = new TokenBucket({ ratePerSecond: 10, burst: 3 }, c.now)
  const steps: Array<[advanceMs: number, allowed: boolean]> = [
    [0, true], [0, true], [0, true], [0, false],
    [50, false], [50, true], [0, false],
    [1_000, true], [0, true], [0, true], [0, false]
  ]
  for (const [i, [advance, allowed]] of steps.entries()) {
    c.advance(advance)
    assert.equal(bucket.tryTake(), allowed, `step ${i}`)
  }
})

test('a token bucket taken into debt says how long the debt lasts', () => {
  const c = clock()
  const bucket = new TokenBucket({ ratePerSecond: 100, burst: 10 }, c.now)
  assert.equal(bucket.take(5), 0)
  assert.equal(bucket.take(25), 200)
  c.advance(150)
  assert.equal(bucket.debtMs(), 50)
  assert.equal(bucket.tryTake(), false)
  c.advance(60)
  assert.equal(bucket.debtMs(), 0)
  assert.equal(bucket.waitMs(1), 0)
  assert.equal(bucket.waitMs(5), 40)
})

test('a token bucket refuses a rate or burst that could never allow anything', () => {
  assert.throws(() => new TokenBucket({ ratePerSecond: 0, burst: 1 }), RangeError)
  assert.throws(() => new TokenBucket({ ratePerSecond: 1, burst: 0 }), RangeError)
})

test('the source rate limiter limits each source, all sources together, and forgets the least recent source', () => {
  const c = clock()
  const limiter = new SourceRateLimiter({ perSource: { ratePerSecond: 1, burst: 2 }, total: { ratePerSecond: 1, burst: 5 }, maxSources: 3, now: c.now })
  const steps: Array<[source: string, allowed: boolean]> = [
    ['a', true], ['a', true], ['a', false], // a's burst is 2
    ['b', true], ['c', true], ['d', true], // 5 in all: the total burst is spent
    ['e', false], // within its own rate, over the total
    ['b', false]
  ]
  for (const [i, [source, allowed]] of steps.entries()) assert.equal(limiter.allow(source), allowed, `step ${i}: ${source}`)
  assert.equal(limiter.sources, 3)
  assert.equal(limiter.dropped, 3)
})

test('a source the limiter forgot starts again with a full burst, so memory stays bounded whatever the number of sources', () => {
  const c = clock()
  const limiter = new SourceRateLimiter({ perSource: { ratePerSecond: 1, burst: 1 }, total: { ratePerSecond: 1_000, burst: 1_000 }, maxSources: 2, now: c.now })
  for (let i = 0; i < 500; i++) limiter.allow(`10.0.${i >> 8}.${i & 255}`)
  assert.equal(limiter.sources, 2)
})

test('sources are IPv4 addresses and IPv6 /64 prefixes', () => {
  const cases: Array<[string, string]> = [
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:db8:0:0:ffff::2', '2001:db8:0:0::/64'],
    ['2001:db8:0:1::1', '2001:db8:0:1::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64']
  ]
  for (const [host, source] of cases) assert.equal(sourceOf(host), source, host)
})
