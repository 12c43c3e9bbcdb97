import { test } from 'node:test'
import assert from 'node:assert/strict'
import { WireError, Writer } from '../../core/wire/codec.ts'
import { MAX_GROUP_MESSAGE_BYTES } from '../../core/wire/group-message.ts'
import {
  CLOSE, decodeFrame, HELLO, MAX_HOST_BYTES, MAX_NAME_BYTES, MAX_OBSERVED_ADDRESS_BYTES, MAX_PEERS_PER_LIST,
  MAX_REASON_BYTES, MAX_SYNC_ENTRIES, MESSAGE, MessageType, PEX, PING, PONG, REKEY, SYNC, type PeerAddress
} from '../../core/wire/messages.ts'
import { keyHex, receive, sampleFrames, sampleGroupMessage, sampleHello } from './fixtures.ts'

const isWireError = (err: unknown): boolean => err instanceof WireError

function peerList (n: number, host = '10.0.0.1', port = 4000): PeerAddress[] {
  return Array.from({ length: n }, (_, i) => ({ publicKey: keyHex(i % 256), host, port }))
}

test('HELLO round-trips', () => {
  const frame = HELLO.encode(sampleHello)
  assert.equal(frame[0], 0x01)
  assert.deepEqual(decodeFrame(frame), { type: 'hello', ...sampleHello })
})

test('HELLO with no peers and zero ports round-trips', () => {
  const body = { version: 1, name: '', tcpPort: 0, udpPort: 0, observedAddress: '10.1.2.3:9', peers: [] }
  assert.deepEqual(decodeFrame(HELLO.encode(body)), { type: 'hello', ...body })
})

test('PING and PONG round-trip their nonce', () => {
  assert.deepEqual(decodeFrame(PING.encode({ nonce: 42 })), { type: 'ping', nonce: 42 })
  assert.deepEqual(decodeFrame(PONG.encode({ nonce: 2 ** 40 })), { type: 'pong', nonce: 2 ** 40 })
})

test('REKEY is a bare type byte', () => {
  assert.deepEqual(REKEY.encode(), Uint8Array.of(0x04))
  assert.deepEqual(decodeFrame(REKEY.encode()), { type: 'rekey' })
})

test('CLOSE round-trips its reason', () => {
  assert.deepEqual(decodeFrame(CLOSE.encode({ reason: 'bye ✓' })), { type: 'close', reason: 'bye ✓' })
})

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

test('SYNC round-trips its heads', () => {
  const heads = [{ author: keyHex(9), seq: 1 }, { author: keyHex(10), seq: Number.MAX_SAFE_INTEGER }]
  assert.deepEqual(decodeFrame(SYNC.encode({ heads })), { type: 'sync', heads })
})

test('PEX round-trips a full list of peers', () => {
  const peers = peerList(MAX_PEERS_PER_LIST, '2001:db8::7', 1)
  assert.deepEqual(decodeFrame(PEX.encode({ peers })), { type: 'pex', peers })
})

test('each codec declares the type byte of the protocol table', () => {
  assert.deepEqual(
    [HELLO, PING, PONG, REKEY, CLOSE, MESSAGE, SYNC, PEX].map((c) => c.type),
    [0x01, 0x02, 0x03, 0x04, 0x05, 0x10, 0x11, 0x12]
  )
  assert.deepEqual(Object.values(MessageType), [0x01, 0x02, 0x03, 0x04, 0x05, 0x10, 0x11, 0x12])
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
  for (const type of [0x00, 0x06, 0x0f, 0x13, 0xff]) {
    assert.throws(() => decodeFrame(Uint8Array.of(type)), /unknown message type/)
  }
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

test('a SYNC count above 1000 is rejected by decoder and encoder', () => {
  const w = new Writer().u8(MessageType.SYNC).varint(MAX_SYNC_ENTRIES + 1)
  for (let i = 0; i <= MAX_SYNC_ENTRIES; i++) w.fixed(Buffer.alloc(32, i % 256), 32).varint(1)
  assert.throws(() => decodeFrame(w.finish()), /above the limit of 1000/)
  const heads = Array.from({ length: MAX_SYNC_ENTRIES + 1 }, (_, i) => ({ author: i.toString(16).padStart(64, '0'), seq: 1 }))
  assert.throws(() => SYNC.encode({ heads }), /above the limit of 1000/)
})

test('a SYNC listing one author twice is rejected', () => {
  const frame = new Writer().u8(MessageType.SYNC).varint(2)
    .fixed(new Uint8Array(32), 32).varint(1)
    .fixed(new Uint8Array(32), 32).varint(2)
    .finish()
  assert.throws(() => decodeFrame(frame), /twice/)
  assert.throws(() => SYNC.encode({ heads: [{ author: keyHex(1), seq: 1 }, { author: keyHex(1), seq: 2 }] }), /twice/)
})

test('strings above their bound are rejected', () => {
  const long = (n: number): string => 'a'.repeat(n)
  assert.throws(() => HELLO.encode({ ...sampleHello, name: long(MAX_NAME_BYTES + 1) }), /name is 257 bytes/)
  assert.throws(() => CLOSE.encode({ reason: long(MAX_REASON_BYTES + 1) }), /reason is 257 bytes/)
  const rawClose = new Writer().u8(MessageType.CLOSE).string(long(MAX_REASON_BYTES + 1), 1000).finish()
  assert.throws(() => decodeFrame(rawClose), /above the limit of 256/)
  const rawHost = new Writer().u8(MessageType.PEX).varint(1).fixed(new Uint8Array(32), 32).string(long(MAX_HOST_BYTES + 1), 1000).varint(1).finish()
  assert.throws(() => decodeFrame(rawHost), /above the limit of 64/)
  const observed = `[${'1:'.repeat(30)}1]:1`
  assert.ok(observed.length > MAX_OBSERVED_ADDRESS_BYTES)
  assert.throws(() => HELLO.encode({ ...sampleHello, observedAddress: observed }), isWireError)
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

test('HELLO ports must be 0..65535', () => {
  assert.throws(() => HELLO.encode({ ...sampleHello, tcpPort: 65536 }), /tcpPort out of range/)
  assert.throws(() => HELLO.encode({ ...sampleHello, udpPort: -1 }), /udpPort out of range/)
  const raw = new Writer().u8(MessageType.HELLO).varint(1).string('x', 256).varint(70000).finish()
  assert.throws(() => decodeFrame(raw), /tcpPort out of range/)
})

test('HELLO observedAddress must be ip:port with IPv6 in brackets', () => {
  for (const observedAddress of ['', '10.0.0.1', '::1:80', 'host:80', '10.0.0.1:0', '10.0.0.1:080', '[10.0.0.1]:80', '10.0.0.1:65536']) {
    assert.throws(() => HELLO.encode({ ...sampleHello, observedAddress }), /observedAddress/, observedAddress)
    const raw = new Writer().u8(MessageType.HELLO).varint(1).string('x', 256).varint(1).varint(1).string(observedAddress, 64).varint(0).finish()
    assert.throws(() => decodeFrame(raw), /observedAddress/, observedAddress)
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
