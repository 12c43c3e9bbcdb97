import assert from 'node:assert/strict'
import { test } from 'node:test'
import { answerTo, decodeResponse, encodeRequest, type NatPmpRequest, type NatPmpResponse } from '../../core/nat/nat-pmp-codec.ts'
import { encodeResponse } from '../helpers/port-control-gateway.ts'

test('requests are laid out as RFC 6886 draws them (§3.2, §3.3)', () => {
  assert.deepEqual([...encodeRequest({ op: 'address' })], [0, 0])
  // Vers 0, OP 2 (TCP), reserved 0, internal port 4000, suggested external 4000, lifetime 3600 s.
  assert.deepEqual([...encodeRequest({ op: 'map', protocol: 'tcp', internalPort: 4000, suggestedExternalPort: 4000, lifetimeSeconds: 3600 })],
    [0, 2, 0, 0, 0x0f, 0xa0, 0x0f, 0xa0, 0, 0, 0x0e, 0x10])
  // OP 1 (UDP); lifetime 0 deletes.
  assert.deepEqual([...encodeRequest({ op: 'map', protocol: 'udp', internalPort: 0xfffe, suggestedExternalPort: 0, lifetimeSeconds: 0 })],
    [0, 1, 0, 0, 0xff, 0xfe, 0, 0, 0, 0, 0, 0])
})

test('a request with a port or lifetime out of its field is refused before it is sent', () => {
  for (const bad of [
    { internalPort: 0, suggestedExternalPort: 1, lifetimeSeconds: 1 },
    { internalPort: 65536, suggestedExternalPort: 1, lifetimeSeconds: 1 },
    { internalPort: 1, suggestedExternalPort: -1, lifetimeSeconds: 1 },
    { internalPort: 1, suggestedExternalPort: 1, lifetimeSeconds: 2 ** 32 },
    { internalPort: 1.5, suggestedExternalPort: 1, lifetimeSeconds: 1 }
  ]) assert.throws(() => encodeRequest({ op: 'map', protocol: 'tcp', ...bad }), RangeError)
})

test('responses laid out as the RFC draws them are read field by field', () => {
  // External address response (§3.2): Vers 0, OP 128, result 0, epoch 0x00010203, address 203.0.113.7.
  assert.deepEqual(decodeResponse(Uint8Array.of(0, 128, 0, 0, 0, 1, 2, 3, 203, 0, 113, 7)),
    { op: 'address', result: 'success', epoch: 0x010203, externalAddress: '203.0.113.7' })
  // Map response (§3.3): OP 130 (TCP), result 0, epoch 9, internal 4000, mapped external 4001, lifetime 7200.
  assert.deepEqual(decodeResponse(Uint8Array.of(0, 130, 0, 0, 0, 0, 0, 9, 0x0f, 0xa0, 0x0f, 0xa1, 0, 0, 0x1c, 0x20)),
    { op: 'map', protocol: 'tcp', result: 'success', epoch: 9, internalPort: 4000, externalPort: 4001, lifetimeSeconds: 7200 })
  // OP 129 is UDP; a deletion's answer has port and lifetime 0.
  assert.deepEqual(decodeResponse(Uint8Array.of(0, 129, 0, 0, 0, 0, 0, 9, 0x0f, 0xa0, 0, 0, 0, 0, 0, 0)),
    { op: 'map', protocol: 'udp', result: 'success', epoch: 9, internalPort: 4000, externalPort: 0, lifetimeSeconds: 0 })
  // An error answer, full length or cut after the epoch as miniupnpd sends for a bad version or opcode.
  assert.deepEqual(decodeResponse(Uint8Array.of(0, 130, 0, 2, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0)), { op: 'map', protocol: 'tcp', result: 'refused', code: 2, epoch: 9 })
  assert.deepEqual(decodeResponse(Uint8Array.of(0, 128, 0, 1, 0, 0, 0, 9)), { op: 'address', result: 'unsupported-version', code: 1, epoch: 9 })
  assert.deepEqual(decodeResponse(Uint8Array.of(0, 128, 0, 3, 0, 0, 0, 9, 0, 0, 0, 0)), { op: 'address', result: 'network-failure', code: 3, epoch: 9 })
  assert.deepEqual(decodeResponse(Uint8Array.of(0, 129, 0, 4, 0, 0, 0, 9)), { op: 'map', protocol: 'udp', result: 'out-of-resources', code: 4, epoch: 9 })
  assert.deepEqual(decodeResponse(Uint8Array.of(0, 128, 0, 5, 0, 0, 0, 9)), { op: 'address', result: 'unsupported-opcode', code: 5, epoch: 9 })
  assert.deepEqual(decodeResponse(Uint8Array.of(0, 128, 1, 0, 0, 0, 0, 9)), { op: 'address', result: 'unrecognised', code: 256, epoch: 9 })
})

test('every response round-trips through the wire form', () => {
  const table: NatPmpResponse[] = [
    { op: 'address', result: 'success', epoch: 0, externalAddress: '0.0.0.0' },
    { op: 'address', result: 'success', epoch: 2 ** 32 - 1, externalAddress: '255.255.255.255' },
    { op: 'map', protocol: 'udp', result: 'success', epoch: 1, internalPort: 1, externalPort: 65535, lifetimeSeconds: 2 ** 32 - 1 },
    { op: 'map', protocol: 'tcp', result: 'success', epoch: 77, internalPort: 65535, externalPort: 1, lifetimeSeconds: 1 },
    { op: 'map', protocol: 'tcp', result: 'refused', code: 2, epoch: 3 },
    { op: 'address', result: 'network-failure', code: 3, epoch: 3 }
  ]
  for (const response of table) assert.deepEqual(decodeResponse(encodeResponse(response)), response)
})

test('a packet that is not exactly a NAT-PMP response is refused with the reason', () => {
  const good = encodeResponse({ op: 'map', protocol: 'tcp', result: 'success', epoch: 1, internalPort: 4000, externalPort: 4000, lifetimeSeconds: 60 })
  const set = (at: number, value: number): Uint8Array => { const copy = good.slice(); copy[at] = value; return copy }
  const table: Array<[string, Uint8Array, RegExp]> = [
    ['empty', new Uint8Array(0), /too short/],
    ['seven bytes', good.subarray(0, 7), /too short/],
    ['a success cut short', good.subarray(0, 12), /12 bytes, not 16/],
    ['a success with a byte more', Uint8Array.of(...good, 0), /17 bytes, not 16/],
    ['an address answer of 16 bytes', Uint8Array.of(0, 128, 0, 0, ...new Array<number>(12).fill(0)), /16 bytes, not 12/],
    ['an error of odd length', Uint8Array.of(0, 130, 0, 2, 0, 0, 0, 1, 0, 0), /10 bytes for an error/],
    ['version 1', set(0, 1), /version 1/],
    ['version 2 (PCP)', set(0, 2), /version 2/],
    ['a request echoed back', set(1, 2), /opcode 2 is a request's/],
    ['opcode 131', set(1, 131), /unknown opcode 131/],
    ['opcode 255', set(1, 255), /unknown opcode 255/],
    ['internal port 0', Uint8Array.of(...good.subarray(0, 8), 0, 0, ...good.subarray(10)), /internal port 0/],
    ['a lasting mapping to port 0', Uint8Array.of(...good.subarray(0, 10), 0, 0, ...good.subarray(12)), /external port 0 for 60 seconds/]
  ]
  for (const [what, bytes, reason] of table) {
    const decoded = decodeResponse(bytes)
    assert.equal(typeof decoded, 'string', what)
    assert.match(decoded as string, reason, what)
  }
})

test('only the gateway\'s answer to this very request is taken', () => {
  const mapTcp: NatPmpRequest = { op: 'map', protocol: 'tcp', internalPort: 4000, suggestedExternalPort: 4000, lifetimeSeconds: 60 }
  const tcpAnswer = encodeResponse({ op: 'map', protocol: 'tcp', result: 'success', epoch: 1, internalPort: 4000, externalPort: 4100, lifetimeSeconds: 60 })
  assert.deepEqual(answerTo(mapTcp, tcpAnswer), { op: 'map', protocol: 'tcp', result: 'success', epoch: 1, internalPort: 4000, externalPort: 4100, lifetimeSeconds: 60 })
  const table: Array<[string, NatPmpRequest, Uint8Array, RegExp]> = [
    ['an address answer', mapTcp, encodeResponse({ op: 'address', result: 'success', epoch: 1, externalAddress: '1.2.3.4' }), /address request/],
    ['a UDP mapping', mapTcp, encodeResponse({ op: 'map', protocol: 'udp', result: 'success', epoch: 1, internalPort: 4000, externalPort: 4000, lifetimeSeconds: 60 }), /udp mapping, not tcp/],
    ['a UDP refusal', mapTcp, encodeResponse({ op: 'map', protocol: 'udp', result: 'refused', code: 2, epoch: 1 }), /udp mapping, not tcp/],
    ['another internal port', mapTcp, encodeResponse({ op: 'map', protocol: 'tcp', result: 'success', epoch: 1, internalPort: 4001, externalPort: 4001, lifetimeSeconds: 60 }), /port 4001, not 4000/],
    ['a map answer to an address request', { op: 'address' }, tcpAnswer, /map request/],
    ['garbage', { op: 'address' }, Uint8Array.of(1, 2, 3), /too short/]
  ]
  for (const [what, request, bytes, reason] of table) {
    const answer = answerTo(request, bytes)
    assert.equal(typeof answer, 'string', what)
    assert.match(answer as string, reason, what)
  }
})
