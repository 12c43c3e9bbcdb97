import { test } from 'node:test'
import assert from 'node:assert/strict'
import { WireError } from '../../core/wire/codec.ts'
import { decodeGroupMessage } from '../../core/wire/group-message.ts'
import { receive, sampleFrames, sampleGroupMessage } from './fixtures.ts'
import { prng } from '../helpers/prng.ts'

// A fixed seed keeps any failure reproducible.
const random = prng(0xb17c4a7)
const int = (n: number): number => Math.floor(random() * n)

function randomBuffer (maxLen: number): Uint8Array {
  const out = new Uint8Array(int(maxLen + 1))
  for (let i = 0; i < out.length; i++) out[i] = int(256)
  return out
}

/** Flips, overwrites, inserts, deletes or truncates a few bytes of a valid input. */
function mutate (input: Uint8Array): Uint8Array {
  let out = input.slice()
  for (let n = 1 + int(4); n > 0; n--) {
    const at = int(out.length + 1)
    switch (int(5)) {
      case 0: if (at < out.length) out[at] = (out[at] as number) ^ (1 << int(8)); break
      case 1: if (at < out.length) out[at] = [0x00, 0x7f, 0x80, 0xff][int(4)] as number; break
      case 2: out = Uint8Array.from([...out.subarray(0, at), int(256), ...out.subarray(at)]); break
      case 3: out = Uint8Array.from([...out.subarray(0, at), ...out.subarray(at + 1)]); break
      case 4: out = out.slice(0, at); break
    }
  }
  return out
}

function onlyWireErrors (decode: (b: Uint8Array) => unknown, input: Uint8Array): void {
  try {
    decode(input)
  } catch (err) {
    assert.ok(err instanceof WireError, `${String(err)} for input ${Buffer.from(input).toString('hex')}`)
  }
}

test('random buffers through decodeFrame and decodeGroupMessage throw nothing but WireError', () => {
  for (let i = 0; i < 3000; i++) {
    const buf = randomBuffer(300)
    // Give the type byte a fair chance of being a real one so bodies get parsed too.
    if (buf.length > 0 && random() < 0.8) buf[0] = [0x01, 0x02, 0x03, 0x04, 0x05, 0x10, 0x11, 0x12][int(8)] as number
    onlyWireErrors(receive, buf)
  }
})

test('mutated valid frames through decodeFrame and decodeGroupMessage throw nothing but WireError', () => {
  const frames = sampleFrames()
  for (let i = 0; i < 3000; i++) onlyWireErrors(receive, mutate(frames[int(frames.length)] as Uint8Array))
})

test('random and mutated buffers through decodeGroupMessage throw nothing but WireError', () => {
  const valid = sampleGroupMessage().raw
  for (let i = 0; i < 2000; i++) {
    onlyWireErrors(decodeGroupMessage, randomBuffer(400))
    onlyWireErrors(decodeGroupMessage, mutate(valid))
  }
})
