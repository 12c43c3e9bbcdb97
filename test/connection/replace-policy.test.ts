import { test } from 'node:test'
import assert from 'node:assert/strict'
import { CONCURRENT_DIAL_WINDOW_MS, preferCandidate, type ConnectionFacts } from '../../core/connection/replace-policy.ts'

const low = 'aa'.repeat(32)
const high = 'bb'.repeat(32)
const facts = (f: Partial<ConnectionFacts>): ConnectionFacts => ({ transport: 'tcp', dialledBy: 'us', establishedAt: 1_000, handshakeHash: Uint8Array.of(5), ...f })

const rows: [string, { ours: string; theirs: string }, Partial<ConnectionFacts>, Partial<ConnectionFacts>, boolean][] = [
  ['a direct candidate replaces a relayed connection', { ours: low, theirs: high }, { transport: 'relay' }, { transport: 'tcp', dialledBy: 'them' }, true],
  ['a relayed candidate never replaces a direct connection', { ours: low, theirs: high }, { transport: 'tcp', dialledBy: 'them' }, { transport: 'relay', dialledBy: 'us' }, false],
  ['a proxied candidate replaces a relayed one', { ours: high, theirs: low }, { transport: 'relay' }, { transport: 'proxy' }, true],
  ['through a proxy and direct TCP rank alike (the side that accepted sees TCP): the lower dialler decides', { ours: low, theirs: high }, { transport: 'tcp', dialledBy: 'them' }, { transport: 'proxy', dialledBy: 'us' }, true],
  ['UDP and TCP rank alike: the lower dialler decides', { ours: low, theirs: high }, { transport: 'udp', dialledBy: 'them' }, { transport: 'tcp', dialledBy: 'us' }, true],
  ['ours dialled by us (the lower key) stays against theirs', { ours: low, theirs: high }, { dialledBy: 'us' }, { dialledBy: 'them' }, false],
  ['theirs dialled by them (the lower key) replaces ours', { ours: high, theirs: low }, { dialledBy: 'us' }, { dialledBy: 'them' }, true],
  ['same dialler, within the race window: lower handshake hash wins', { ours: low, theirs: high }, { handshakeHash: Uint8Array.of(9) }, { handshakeHash: Uint8Array.of(3), establishedAt: 1_000 + CONCURRENT_DIAL_WINDOW_MS }, true],
  ['same dialler, within the race window: higher handshake hash loses', { ours: low, theirs: high }, { handshakeHash: Uint8Array.of(3) }, { handshakeHash: Uint8Array.of(9), establishedAt: 2_000 }, false],
  ['same dialler, later than the window: a reconnect, the newer wins', { ours: low, theirs: high }, { handshakeHash: Uint8Array.of(3) }, { handshakeHash: Uint8Array.of(9), establishedAt: 1_001 + CONCURRENT_DIAL_WINDOW_MS }, true]
]

for (const [what, keys, existing, candidate, expected] of rows) {
  test(what, () => {
    assert.equal(preferCandidate(facts(existing), facts(candidate), keys), expected)
  })
}

test('both ends reach the same verdict about the same pair of connections', () => {
  const us = { ours: low, theirs: high }
  const them = { ours: high, theirs: low }
  const flip = (c: ConnectionFacts): ConnectionFacts => ({ ...c, dialledBy: c.dialledBy === 'us' ? 'them' : 'us' })
  for (const [, , existing, candidate] of rows) {
    for (const [x, y] of [[facts(existing), facts(candidate)], [facts(candidate), facts(existing)]] as const) {
      if (x.establishedAt !== y.establishedAt) continue
      assert.equal(preferCandidate(x, y, us), preferCandidate(flip(x), flip(y), them))
    }
  }
})
