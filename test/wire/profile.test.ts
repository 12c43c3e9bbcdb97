import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createProfile, isNewerProfile, MAX_PROFILE_BYTES, readProfile } from '../../core/wire/profile.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { WireError } from '../../core/wire/codec.ts'

const alice = generateIdentity()
const mallory = generateIdentity()
const profile = (fields: Partial<{ seq: number; name: string; tcpPort: number }> = {}) =>
  createProfile({ identity: alice, seq: fields.seq ?? 1, timestamp: 1_700_000_000_000, name: fields.name ?? 'Alice ✓', tcpPort: fields.tcpPort ?? 4000, udpPort: 0 })

test('a profile round-trips and is signed by the key it names', () => {
  const p = profile()
  const read = readProfile(p.raw)
  assert.deepEqual({ ...read, raw: [...read.raw] }, { ...p, raw: [...p.raw] })
})

test('a profile for one key signed by another is refused', () => {
  const forged = createProfile({ identity: { publicKey: mallory.publicKey, secretKey: mallory.secretKey }, seq: 9, timestamp: 0, name: 'evil', tcpPort: 0, udpPort: 0 })
  const raw = Uint8Array.from(forged.raw)
  raw.set(alice.publicKey, 1)
  assert.throws(() => readProfile(raw), /not signed by the key it names/)
})

test('every truncation and every flipped bit of a profile is refused', () => {
  const raw = profile().raw
  for (let len = 0; len < raw.length; len++) assert.throws(() => readProfile(raw.subarray(0, len)), WireError, `cut to ${len}`)
  for (let i = 0; i < raw.length; i++) {
    const flipped = Uint8Array.from(raw)
    flipped[i]! ^= 1
    assert.throws(() => readProfile(flipped), WireError, `bit flipped in byte ${i}`)
  }
  assert.throws(() => readProfile(new Uint8Array(MAX_PROFILE_BYTES + 1)), /above the limit/)
})

test('names follow the name rule on both sides', () => {
  assert.throws(() => profile({ name: 'evil\u202Eright' }), /not a valid name/)
  assert.throws(() => profile({ name: '' }), /not a valid name/)
})

test('the higher seq of the same key wins; another key never replaces', () => {
  const older = profile({ seq: 2 })
  const newer = profile({ seq: 3, name: 'Alice again' })
  assert.equal(isNewerProfile(newer, older), true)
  assert.equal(isNewerProfile(older, newer), false)
  assert.equal(isNewerProfile(older, null), true)
  const other = createProfile({ identity: mallory, seq: 99, timestamp: 0, name: 'x', tcpPort: 0, udpPort: 0 })
  assert.equal(isNewerProfile(other, older), false)
})
