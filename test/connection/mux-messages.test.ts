import { test } from 'node:test'
import assert from 'node:assert/strict'
import { WireError, Writer } from '../../core/wire/codec.ts'
import {
  ACCEPT, CLOSE, ControlType, CREDIT, decodeMuxFrame, encodeData, MAX_CLOSE_TEXT_BYTES, MAX_MESSAGE_BYTES,
  MAX_OBSERVED_ADDRESS_BYTES, MAX_PROFILE_BYTES, MAX_PROTOCOL_NAME_BYTES, MIN_WINDOW_BYTES, OBSERVED, OPEN, PING, PONG, PROFILE, RESET
} from '../../core/connection/mux-messages.ts'
import { MAX_PLAINTEXT } from '../../core/session/secure-connection.ts'
import { message } from './mux-pair.ts'
import { prng } from '../helpers/prng.ts'

const isWireError = (err: unknown): boolean => err instanceof WireError
const topic = new Uint8Array(32).fill(7)

/** One valid frame of every control type whose body has a length of its own (all but PROFILE). */
function delimitedControlFrames (): Uint8Array[] {
  return [
    PING.encode({ nonce: 0 }),
    PING.encode({ nonce: Number.MAX_SAFE_INTEGER }),
    PONG.encode({ nonce: 300 }),
    CLOSE.encode({ code: 2, text: 'duplicate ✓' }),
    CLOSE.encode({ code: 0, text: '' }),
    OPEN.encode({ id: 1, protocol: 'bitchat/messages/1', topic, credit: 262_144 }),
    OPEN.encode({ id: 2 ** 40, protocol: 'x', topic: new Uint8Array(0), credit: MIN_WINDOW_BYTES }),
    ACCEPT.encode({ id: 3, credit: 65_536 }),
    RESET.encode({ id: 4, code: 9, text: 'not joined' }),
    CREDIT.encode({ id: 5, bytes: 131_072 }),
    OBSERVED.encode({ address: '[2001:db8::1]:51234' })
  ]
}

/** A control frame with a raw body, to say what encoders refuse to. */
function rawControl (type: number, build: (w: Writer) => Writer): Uint8Array {
  return build(new Writer().varint(0).u8(type)).finish()
}

test('PING and PONG round-trip their nonce on stream 0', () => {
  const frame = PING.encode({ nonce: 2 ** 40 })
  assert.deepEqual([...frame.subarray(0, 2)], [0x00, ControlType.PING])
  assert.deepEqual(decodeMuxFrame(frame), { kind: 'control', frame: { type: 'ping', nonce: 2 ** 40 } })
  assert.deepEqual(decodeMuxFrame(PONG.encode({ nonce: 7 })), { kind: 'control', frame: { type: 'pong', nonce: 7 } })
})

test('CLOSE round-trips its code and text, an unknown code included', () => {
  assert.deepEqual(decodeMuxFrame(CLOSE.encode({ code: 5, text: 'bad frame ✓' })), { kind: 'control', frame: { type: 'close', code: 5, text: 'bad frame ✓' } })
  assert.deepEqual(decodeMuxFrame(CLOSE.encode({ code: 4000, text: '' })), { kind: 'control', frame: { type: 'close', code: 4000, text: '' } })
})

test('OPEN round-trips id, protocol, topic and credit, with or without a topic', () => {
  const body = { id: 9, protocol: 'bitchat/sync/1', topic, credit: 1 << 20 }
  assert.deepEqual(decodeMuxFrame(OPEN.encode(body)), { kind: 'control', frame: { type: 'open', ...body } })
  const bare = { id: 10, protocol: 'a'.repeat(MAX_PROTOCOL_NAME_BYTES), topic: new Uint8Array(0), credit: MIN_WINDOW_BYTES }
  assert.deepEqual(decodeMuxFrame(OPEN.encode(bare)), { kind: 'control', frame: { type: 'open', ...bare } })
})

test('ACCEPT, RESET and CREDIT round-trip', () => {
  assert.deepEqual(decodeMuxFrame(ACCEPT.encode({ id: 2, credit: 65_536 })), { kind: 'control', frame: { type: 'accept', id: 2, credit: 65_536 } })
  assert.deepEqual(decodeMuxFrame(RESET.encode({ id: 3, code: 3, text: 'not invited' })), { kind: 'control', frame: { type: 'reset', id: 3, code: 3, text: 'not invited' } })
  assert.deepEqual(decodeMuxFrame(CREDIT.encode({ id: 4, bytes: 0 })), { kind: 'control', frame: { type: 'credit', id: 4, bytes: 0 } })
})

test('PROFILE carries its record to the end of the frame, up to 1024 bytes', () => {
  const record = new Uint8Array(MAX_PROFILE_BYTES).map((_, i) => i)
  const frame = PROFILE.encode({ record })
  assert.equal(frame.length, 2 + MAX_PROFILE_BYTES)
  assert.deepEqual(decodeMuxFrame(frame), { kind: 'control', frame: { type: 'profile', record } })
})

test('OBSERVED round-trips its address', () => {
  assert.deepEqual(decodeMuxFrame(OBSERVED.encode({ address: '203.0.113.9:40000' })), { kind: 'control', frame: { type: 'observed', address: '203.0.113.9:40000' } })
})

test('a data frame is the stream id then the message untouched, and decodes to a view of it', () => {
  const m = message(300, 0x13)
  const frame = encodeData(300, m)
  assert.deepEqual([...frame.subarray(0, 2)], [0xac, 0x02])
  const decoded = decodeMuxFrame(frame)
  assert.equal(decoded.kind, 'data')
  if (decoded.kind !== 'data') return
  assert.equal(decoded.stream, 300)
  assert.deepEqual(decoded.message, m)
  assert.equal(decoded.message.buffer, frame.buffer)
})

test('the largest message on the largest stream id fits one transport frame with its DATA type byte', () => {
  const frame = encodeData(Number.MAX_SAFE_INTEGER, message(MAX_MESSAGE_BYTES))
  assert.ok(1 + frame.length <= MAX_PLAINTEXT, `${1 + frame.length} > ${MAX_PLAINTEXT}`)
  assert.equal(decodeMuxFrame(frame).kind, 'data')
})

test('every truncation of every length-delimited control frame is rejected', () => {
  for (const frame of delimitedControlFrames()) {
    for (let length = 0; length < frame.length; length++) {
      assert.throws(() => decodeMuxFrame(frame.subarray(0, length)), isWireError, `type 0x${frame[1]!.toString(16)} cut to ${length} of ${frame.length}`)
    }
  }
})

test('a PROFILE or data frame cut to its header is rejected; a cut inside runs to the end of the frame, for the record\'s own codec to refuse', () => {
  for (const frame of [PROFILE.encode({ record: new Uint8Array(40).fill(1) }), encodeData(200, message(40))]) {
    for (let length = 0; length <= 2; length++) assert.throws(() => decodeMuxFrame(frame.subarray(0, length)), isWireError, `cut to ${length}`)
  }
  const cut = decodeMuxFrame(PROFILE.encode({ record: new Uint8Array(40).fill(1) }).subarray(0, 30))
  assert.deepEqual(cut, { kind: 'control', frame: { type: 'profile', record: new Uint8Array(28).fill(1) } })
})

test('trailing bytes after a control body are rejected', () => {
  for (const frame of delimitedControlFrames()) {
    assert.throws(() => decodeMuxFrame(Uint8Array.from([...frame, 0])), isWireError, `type 0x${frame[1]!.toString(16)}`)
  }
})

test('an unknown control type and an empty frame are rejected', () => {
  assert.throws(() => decodeMuxFrame(Uint8Array.of(0x00, 0x0a)), /unknown control frame type 0x0a/)
  assert.throws(() => decodeMuxFrame(Uint8Array.of(0x00, 0x00)), /unknown control frame type 0x00/)
  assert.throws(() => decodeMuxFrame(new Uint8Array(0)), isWireError)
})

test('a non-minimal stream id is rejected', () => {
  assert.throws(() => decodeMuxFrame(Uint8Array.of(0x81, 0x00, 0x10)), /not minimally encoded/)
  assert.throws(() => decodeMuxFrame(Uint8Array.of(0x80, 0x00, 0x01, 0x00)), /not minimally encoded/)
})

test('OPEN refuses a protocol name that is empty, too long, not ASCII or holds spaces or controls', () => {
  for (const protocol of ['', 'a'.repeat(MAX_PROTOCOL_NAME_BYTES + 1), 'bitchat/é/1', 'bit chat', 'bit\tchat', 'bit\x7fchat']) {
    const raw = rawControl(ControlType.OPEN, w => w.varint(1).string(protocol, 1000).bytes(new Uint8Array(0), 32).varint(MIN_WINDOW_BYTES))
    assert.throws(() => decodeMuxFrame(raw), isWireError, JSON.stringify(protocol))
    assert.throws(() => OPEN.encode({ id: 1, protocol, topic, credit: MIN_WINDOW_BYTES }), /protocol must be/, JSON.stringify(protocol))
  }
})

test('OPEN refuses a topic that is neither empty nor 32 bytes', () => {
  for (const length of [1, 31, 33]) {
    const raw = rawControl(ControlType.OPEN, w => w.varint(1).string('p', 64).bytes(new Uint8Array(length), 64).varint(MIN_WINDOW_BYTES))
    assert.throws(() => decodeMuxFrame(raw), isWireError, `${length} bytes`)
    assert.throws(() => OPEN.encode({ id: 1, protocol: 'p', topic: new Uint8Array(length), credit: MIN_WINDOW_BYTES }), /topic is/)
  }
})

test('a length claimed far beyond its bound is refused before anything is allocated', () => {
  const claims = [
    rawControl(ControlType.OPEN, w => w.varint(1).varint(2 ** 52)),
    rawControl(ControlType.OPEN, w => w.varint(1).string('p', 64).varint(2 ** 52)),
    rawControl(ControlType.CLOSE, w => w.varint(0).varint(2 ** 52)),
    rawControl(ControlType.RESET, w => w.varint(1).varint(0).varint(2 ** 52)),
    rawControl(ControlType.OBSERVED, w => w.varint(2 ** 52))
  ]
  for (const raw of claims) assert.throws(() => decodeMuxFrame(raw), /above the limit/)
})

test('stream 0 is refused where a stream is named', () => {
  const raws = [
    rawControl(ControlType.OPEN, w => w.varint(0).string('p', 64).bytes(new Uint8Array(0), 32).varint(MIN_WINDOW_BYTES)),
    rawControl(ControlType.ACCEPT, w => w.varint(0).varint(MIN_WINDOW_BYTES)),
    rawControl(ControlType.RESET, w => w.varint(0).varint(0).string('', 256)),
    rawControl(ControlType.CREDIT, w => w.varint(0).varint(1))
  ]
  for (const raw of raws) assert.throws(() => decodeMuxFrame(raw), /not a stream ≥ 1/)
  assert.throws(() => ACCEPT.encode({ id: 0, credit: MIN_WINDOW_BYTES }), /not a stream ≥ 1/)
  assert.throws(() => encodeData(0, message(3)), isWireError)
})

test('OPEN and ACCEPT offer at least one largest message of credit', () => {
  assert.equal(MIN_WINDOW_BYTES, MAX_MESSAGE_BYTES)
  for (const credit of [0, 1, MIN_WINDOW_BYTES - 1]) {
    assert.throws(() => decodeMuxFrame(rawControl(ControlType.OPEN, w => w.varint(1).string('p', 64).bytes(new Uint8Array(0), 32).varint(credit))), /below one largest message/)
    assert.throws(() => decodeMuxFrame(rawControl(ControlType.ACCEPT, w => w.varint(1).varint(credit))), /below one largest message/)
    assert.throws(() => ACCEPT.encode({ id: 1, credit }), /below one largest message/)
  }
})

test('CLOSE and RESET text is at most 256 bytes of valid UTF-8', () => {
  assert.doesNotThrow(() => decodeMuxFrame(CLOSE.encode({ code: 0, text: 'x'.repeat(MAX_CLOSE_TEXT_BYTES) })))
  assert.throws(() => CLOSE.encode({ code: 0, text: 'x'.repeat(MAX_CLOSE_TEXT_BYTES + 1) }), isWireError)
  assert.throws(() => decodeMuxFrame(rawControl(ControlType.CLOSE, w => w.varint(0).string('x'.repeat(MAX_CLOSE_TEXT_BYTES + 1), 1000))), isWireError)
  assert.throws(() => decodeMuxFrame(rawControl(ControlType.RESET, w => w.varint(1).varint(0).bytes(Uint8Array.of(0xc3, 0x28), 256))), /not valid UTF-8/)
})

test('PROFILE is 1..1024 bytes and OBSERVED at most 64', () => {
  assert.throws(() => decodeMuxFrame(Uint8Array.of(0x00, ControlType.PROFILE)), isWireError)
  assert.throws(() => decodeMuxFrame(rawControl(ControlType.PROFILE, w => w.fixed(new Uint8Array(MAX_PROFILE_BYTES + 1), MAX_PROFILE_BYTES + 1))), isWireError)
  assert.throws(() => PROFILE.encode({ record: new Uint8Array(0) }), isWireError)
  assert.throws(() => PROFILE.encode({ record: new Uint8Array(MAX_PROFILE_BYTES + 1) }), isWireError)
  assert.throws(() => OBSERVED.encode({ address: '1'.repeat(MAX_OBSERVED_ADDRESS_BYTES + 1) }), isWireError)
})

test('a data frame carries 1..MAX_MESSAGE_BYTES of message', () => {
  assert.throws(() => decodeMuxFrame(Uint8Array.of(0x05)), isWireError)
  const oversized = new Uint8Array(1 + MAX_MESSAGE_BYTES + 1)
  oversized[0] = 5
  assert.throws(() => decodeMuxFrame(oversized), isWireError)
  assert.throws(() => encodeData(5, new Uint8Array(0)), isWireError)
  assert.throws(() => encodeData(5, new Uint8Array(MAX_MESSAGE_BYTES + 1)), isWireError)
})

test('random and mutated frames throw nothing but WireError', () => {
  const random = prng(0x3a7c)
  const int = (n: number): number => Math.floor(random() * n)
  const valid = [...delimitedControlFrames(), PROFILE.encode({ record: Uint8Array.of(1, 2, 3) }), encodeData(7, message(20))]
  for (let i = 0; i < 5000; i++) {
    let input: Uint8Array
    if (i % 2 === 0) {
      input = new Uint8Array(int(80)).map(() => int(256))
      if (input.length > 1 && random() < 0.7) { input[0] = 0; input[1] = 1 + int(10) }
    } else {
      input = valid[int(valid.length)]!.slice()
      for (let n = 1 + int(3); n > 0; n--) if (input.length > 0) input[int(input.length)] = int(256)
      if (random() < 0.3) input = input.subarray(0, int(input.length + 1))
    }
    try {
      decodeMuxFrame(input)
    } catch (err) {
      assert.ok(err instanceof WireError, `${String(err)} for ${Buffer.from(input).toString('hex')}`)
    }
  }
})
