import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ACCEPT, decodeUdpControl, encodeUdpControl, MAX_UDP_CONTROL_BYTES, OPEN, PROBE, REFUSE, RefuseCode, type UdpControl } from '../../core/transport/udp-control.ts'

const nonce = Uint8Array.from({ length: 16 }, (_, i) => i + 1)

test('each control datagram round-trips, at its fixed size', () => {
  const table: Array<[UdpControl, number]> = [
    [{ type: OPEN, streamId: 1, nonce }, 23],
    [{ type: OPEN, streamId: 0xffffffff, nonce }, 23],
    [{ type: ACCEPT, streamId: 7, dialerStreamId: 0x12345678, nonce }, 27],
    [{ type: REFUSE, code: RefuseCode.BUSY, nonce }, 20],
    [{ type: REFUSE, code: 255, nonce }, 20],
    [{ type: PROBE, nonce, reply: false }, 20],
    [{ type: PROBE, nonce, reply: true }, 20]
  ]
  for (const [message, size] of table) {
    const bytes = encodeUdpControl(message)
    assert.equal(bytes.length, size)
    assert.ok(bytes.length <= MAX_UDP_CONTROL_BYTES)
    assert.deepEqual(decodeUdpControl(bytes), message)
  }
  assert.deepEqual([...encodeUdpControl({ type: OPEN, streamId: 0x01020304, nonce }).subarray(0, 7)], [0xbc, 1, 1, 1, 2, 3, 4])
})

test('anything that is not exactly a control datagram is dropped', () => {
  const open = encodeUdpControl({ type: OPEN, streamId: 5, nonce })
  const accept = encodeUdpControl({ type: ACCEPT, streamId: 5, dialerStreamId: 6, nonce })
  const with0 = (bytes: Uint8Array, at: number, value: number): Uint8Array => { const copy = bytes.slice(); copy[at] = value; return copy }
  const table: Array<[string, Uint8Array]> = [
    ['empty', new Uint8Array(0)],
    ['a DHT message', new TextEncoder().encode('d1:ad2:id20:')],
    ['a UDX packet', Uint8Array.of(0xff, 1, 0, 0, 0, 0, 0, 1)],
    ['another version', with0(open, 1, 2)],
    ['an unknown type', with0(open, 2, 9)],
    ['an OPEN cut short', open.subarray(0, 22)],
    ['an OPEN with a byte more', Uint8Array.of(...open, 0)],
    ['stream id 0', encodeZeroId(open)],
    ['an ACCEPT for dialer stream 0', acceptWithZeroDialer(accept)],
    ['a REFUSE with code 0', with0(encodeUdpControl({ type: REFUSE, code: 1, nonce }), 3, 0)],
    ['a PROBE with an unknown flag', with0(encodeUdpControl({ type: PROBE, nonce, reply: false }), 3, 2)],
    ['a PROBE cut short', encodeUdpControl({ type: PROBE, nonce, reply: true }).subarray(0, 19)],
    ['longer than any', new Uint8Array(MAX_UDP_CONTROL_BYTES + 1).fill(1).map((b, i) => i === 0 ? 0xbc : b)]
  ]
  for (const [what, bytes] of table) assert.equal(decodeUdpControl(bytes), null, what)
})

test('what cannot be encoded is refused before a byte is written', () => {
  assert.throws(() => encodeUdpControl({ type: OPEN, streamId: 0, nonce }), /stream id/)
  assert.throws(() => encodeUdpControl({ type: OPEN, streamId: 2 ** 32, nonce }), /stream id/)
  assert.throws(() => encodeUdpControl({ type: OPEN, streamId: 1, nonce: nonce.subarray(1) }), /nonce/)
  assert.throws(() => encodeUdpControl({ type: REFUSE, code: 0, nonce }), /refusal code/)
})

function encodeZeroId (open: Uint8Array): Uint8Array {
  const copy = open.slice()
  copy.fill(0, 3, 7)
  return copy
}

function acceptWithZeroDialer (accept: Uint8Array): Uint8Array {
  const copy = accept.slice()
  copy.fill(0, 7, 11)
  return copy
}
