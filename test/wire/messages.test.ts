import { test } from 'node:test'
import assert from 'node:assert/strict'
import { WireError, Writer } from '../../core/wire/codec.ts'
import { MAX_GROUP_MESSAGE_BYTES } from '../../core/wire/group-message.ts'
import {
  decodeFrame, HISTORY, MAX_HOST_BYTES, MAX_PEERS_PER_LIST, MESSAGE, MessageType, PEX, RANGES, RECEIPT, TYPING, WANT, type PeerAddress
} from '../../core/wire/messages.ts'
import { MAX_FRAME_IDS, MAX_RANGES } from '../../core/wire/ranges.ts'
import type { WireRange } from '../../core/history/reconciler.ts'
import { MAX_PLAINTEXT } from '../../core/session/secure-connection.ts'
import { keyHex, receive, sampleFrames, sampleGroupMessage, sampleRanges } from './fixtures.ts'

const isWireError = (err: unknown): boolean => err instanceof WireError

function peerList (n: number, host = '10.0.0.1', port = 4000): PeerAddress[] {
  return Array.from({ length: n }, (_, i) => ({ publicKey: keyHex(i % 256), host, port }))
}

test('MESSAGE carries the signed group message bytes unchanged', () => {
  const m = sampleGroupMessage()
  const frame = MESSAGE.encode(m)
  assert.equal(frame[0], 0x10)
  assert.deepEqual(frame.subarray(1), m.raw)
  assert.deepEqual(decodeFrame(frame), { type: 'message', raw: m.raw })
})

test('a decoded MESSAGE owns its bytes', () => {
  const frame = MESSAGE.encode(sampleGroupMessage())
  const decoded = decodeFrame(frame)
  const copy = frame.slice(1)
  frame.fill(0)
  assert.deepEqual(decoded.type === 'message' && decoded.raw, copy)
})

test('PEX round-trips a full list of peers', () => {
  const peers = peerList(MAX_PEERS_PER_LIST, '2001:db8::7', 1)
  assert.deepEqual(decodeFrame(PEX.encode({ peers })), { type: 'pex', peers })
})

test('each codec declares the type byte of the protocol table', () => {
  assert.deepEqual(
    [MESSAGE, PEX, RANGES, WANT, HISTORY, RECEIPT, TYPING].map((c) => c.type),
    [0x10, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17]
  )
  assert.deepEqual(Object.values(MessageType), [0x10, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17])
})

test('every truncation of every frame type is rejected with WireError', () => {
  for (const frame of sampleFrames()) {
    for (let len = 0; len < frame.length; len++) {
      assert.throws(() => receive(frame.subarray(0, len)), isWireError, `type 0x${frame[0]?.toString(16)} cut to ${len} of ${frame.length}`)
    }
  }
})

test('a trailing byte after any frame is rejected', () => {
  for (const frame of sampleFrames()) {
    const longer = new Uint8Array(frame.length + 1)
    longer.set(frame)
    assert.throws(() => receive(longer), /trailing/, `type 0x${frame[0]?.toString(16)}`)
  }
})

test('an unknown message type is rejected', () => {
  for (const type of [0x00, 0x01, 0x02, 0x04, 0x05, 0x06, 0x0f, 0x11, 0x18, 0xff]) {
    assert.throws(() => decodeFrame(Uint8Array.of(type)), /unknown message type/)
  }
})

test('RECEIPT round-trips its two seqs, and refuses a read position above the delivered one', () => {
  assert.deepEqual(decodeFrame(RECEIPT.encode({ delivered: 5, read: 3 })), { type: 'receipt', delivered: 5, read: 3 })
  assert.deepEqual(decodeFrame(RECEIPT.encode({ delivered: 2 ** 53 - 1, read: 0 })), { type: 'receipt', delivered: 2 ** 53 - 1, read: 0 })
  assert.throws(() => RECEIPT.encode({ delivered: 3, read: 5 }), /above delivered/)
  assert.throws(() => decodeFrame(new Writer().u8(MessageType.RECEIPT).varint(3).varint(5).finish()), /above delivered/)
  assert.throws(() => RECEIPT.encode({ delivered: 2 ** 53, read: 0 }), isWireError)
})

test('TYPING round-trips, and takes only 0 or 1', () => {
  assert.deepEqual(decodeFrame(TYPING.encode({ active: true })), { type: 'typing', active: true })
  assert.deepEqual(decodeFrame(TYPING.encode({ active: false })), { type: 'typing', active: false })
  assert.throws(() => decodeFrame(Uint8Array.of(MessageType.TYPING, 2)), /0 or 1/)
})

test('an empty frame is rejected', () => {
  assert.throws(() => decodeFrame(new Uint8Array(0)), isWireError)
})

test('a peer count above 64 is rejected by decoder and encoder', () => {
  const w = new Writer().u8(MessageType.PEX).varint(MAX_PEERS_PER_LIST + 1)
  for (let i = 0; i <= MAX_PEERS_PER_LIST; i++) w.fixed(new Uint8Array(32), 32).string('10.0.0.1', 64).varint(1)
  assert.throws(() => decodeFrame(w.finish()), /above the limit of 64/)
  assert.throws(() => PEX.encode({ peers: peerList(MAX_PEERS_PER_LIST + 1) }), /above the limit of 64/)
})

test('a peer count larger than the bytes that follow is rejected', () => {
  assert.throws(() => decodeFrame(Uint8Array.of(MessageType.PEX, 10)), /truncated/)
})

test('RANGES round-trips every bound and mode', () => {
  assert.deepEqual(decodeFrame(RANGES.encode({ ranges: sampleRanges })), { type: 'ranges', ranges: sampleRanges })
})

test('WANT and HISTORY round-trip', () => {
  const ids = [Buffer.alloc(32, 1), Buffer.alloc(32, 2)]
  assert.deepEqual(decodeFrame(WANT.encode({ ids })), { type: 'want', ids: ids.map(i => new Uint8Array(i)) })
  const m = sampleGroupMessage()
  assert.deepEqual(decodeFrame(HISTORY.encode(m)), { type: 'history', raw: m.raw })
})

const end = (mode: WireRange['mode'] = { kind: 'skip' }): WireRange => ({ upper: null, mode })
const at = (a: number, seq: number, mode: WireRange['mode'] = { kind: 'skip' }): WireRange => ({ upper: { author: Buffer.alloc(32, a), seq }, mode })
const rejectedRanges: [string, WireRange[], RegExp][] = [
  ['no range at all', [], /outside 1\.\.128/],
  ['more than 128 ranges', [...Array.from({ length: MAX_RANGES }, (_, i) => at(1, i + 1)), end()], /outside 1\.\.128/],
  ['a last range that stops short of the end', [at(1, 1)], /last RANGES range must end/],
  ['an end before the last range', [end(), end()], /only the last/],
  ['bounds that do not rise', [at(2, 5), at(2, 5), end()], /rise strictly/],
  ['bounds that fall', [at(2, 5), at(1, 9), end()], /rise strictly/],
  ['a first bound at the very start', [at(0, 0), end()], /rise strictly/],
  ['an id listed twice', [end({ kind: 'ids', ids: [Buffer.alloc(32, 1), Buffer.alloc(32, 1)] })], /twice/],
  ['more than 1024 ids in all', [at(1, 1, { kind: 'ids', ids: Array.from({ length: 600 }, (_, i) => Buffer.alloc(32, 0).fill(i % 256, 0, 1).fill(i >> 8, 1, 2)) }), end({ kind: 'ids', ids: Array.from({ length: 600 }, (_, i) => Buffer.alloc(32, 7).fill(i % 256, 0, 1).fill(i >> 8, 1, 2)) })], /above the limit of 1024|outside/]
]

for (const [what, ranges, error] of rejectedRanges) {
  test(`RANGES with ${what} is refused by encoder and decoder`, () => {
    assert.throws(() => RANGES.encode({ ranges }), error)
    // Written without the encoder's checks, as a hostile peer would.
    const w = new Writer().u8(MessageType.RANGES).varint(ranges.length)
    for (const r of ranges) {
      if (r.upper === null) w.u8(0)
      else w.u8(1).fixed(r.upper.author, 32).varint(r.upper.seq)
      if (r.mode.kind === 'skip') w.u8(0)
      else if (r.mode.kind === 'ids') { w.u8(2).varint(r.mode.ids.length); for (const id of r.mode.ids) w.fixed(id, 32) } else w.u8(1).varint(r.mode.count).fixed(r.mode.fingerprint, 16)
    }
    assert.throws(() => decodeFrame(w.finish()), isWireError)
  })
}

test('unknown RANGES bound tags and modes are refused', () => {
  assert.throws(() => decodeFrame(Uint8Array.of(MessageType.RANGES, 1, 2, 0)), /bound tag/)
  assert.throws(() => decodeFrame(Uint8Array.of(MessageType.RANGES, 1, 0, 3)), /mode/)
})

test('the largest RANGES and WANT frames fit in one transport frame', () => {
  const ids = (n: number, fill: number): Uint8Array[] => Array.from({ length: n }, (_, i) => Buffer.alloc(32, fill).fill(i % 256, 0, 1).fill(i >> 8, 1, 2))
  const ranges: WireRange[] = Array.from({ length: MAX_RANGES - 2 }, (_, i) => at(1, 2 ** 52 + i, { kind: 'fingerprint', count: 2 ** 52, fingerprint: Buffer.alloc(16) }))
  ranges.push(at(2, 2 ** 52, { kind: 'ids', ids: ids(MAX_FRAME_IDS, 3) }), end())
  assert.ok(RANGES.encode({ ranges }).length <= MAX_PLAINTEXT)
  assert.ok(WANT.encode({ ids: ids(MAX_FRAME_IDS, 4) }).length <= MAX_PLAINTEXT)
  assert.throws(() => WANT.encode({ ids: ids(MAX_FRAME_IDS + 1, 4) }), /outside 1\.\.1024/)
  assert.throws(() => WANT.encode({ ids: [] }), /outside/)
  assert.throws(() => decodeFrame(Uint8Array.of(MessageType.WANT, 0)), /at least one/)
})

test('a peer host above 64 bytes is rejected', () => {
  const rawHost = new Writer().u8(MessageType.PEX).varint(1).fixed(new Uint8Array(32), 32).string('a'.repeat(MAX_HOST_BYTES + 1), 1000).varint(1).finish()
  assert.throws(() => decodeFrame(rawHost), /above the limit of 64/)
})

test('peer hosts must be literal IP addresses', () => {
  for (const host of ['example.com', 'localhost', '', '1.2.3', '1.2.3.4:80', ' 10.0.0.1', 'fe80::1%eth0', '[::1]', '256.1.1.1']) {
    assert.throws(() => PEX.encode({ peers: [{ publicKey: keyHex(1), host, port: 1 }] }), /not an IP address/, host)
    const raw = new Writer().u8(MessageType.PEX).varint(1).fixed(new Uint8Array(32), 32).string(host, 64).varint(1).finish()
    assert.throws(() => decodeFrame(raw), isWireError, host)
  }
})

test('peer ports must be 1..65535', () => {
  for (const port of [0, 65536, 2 ** 40]) {
    assert.throws(() => PEX.encode({ peers: [{ publicKey: keyHex(1), host: '10.0.0.1', port }] }), /port out of range/)
    const raw = new Writer().u8(MessageType.PEX).varint(1).fixed(new Uint8Array(32), 32).string('10.0.0.1', 64).varint(port).finish()
    assert.throws(() => decodeFrame(raw), /port out of range/)
  }
})

test('peer keys are 64 lowercase hex characters', () => {
  for (const publicKey of ['00', keyHex(0xab).toUpperCase(), `${keyHex(1)}00`, 'zz'.repeat(32)]) {
    assert.throws(() => PEX.encode({ peers: [{ publicKey, host: '10.0.0.1', port: 1 }] }), /64 lowercase hex/)
  }
})

test('a MESSAGE body that is empty or above the group message bound is rejected', () => {
  assert.throws(() => decodeFrame(Uint8Array.of(MessageType.MESSAGE)), /outside 1\.\./)
  assert.throws(() => decodeFrame(new Uint8Array(MAX_GROUP_MESSAGE_BYTES + 2).fill(MessageType.MESSAGE, 0, 1)), /outside 1\.\./)
  assert.throws(() => MESSAGE.encode({ raw: new Uint8Array(0) }), isWireError)
  assert.throws(() => MESSAGE.encode({ raw: new Uint8Array(MAX_GROUP_MESSAGE_BYTES + 1) }), isWireError)
})
