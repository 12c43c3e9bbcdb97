import assert from 'node:assert/strict'
import { test } from 'node:test'
import { answerTo, decodeResponse, encodeMapRequest, PCP_RESULT_WORDS, type PcpMapRequest, type PcpResponse, type PcpResult } from '../../core/nat/pcp-codec.ts'
import { encodeMapResponse, type PcpMapAnswer } from '../helpers/port-control-gateway.ts'

const nonce = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)
const mapped = (a: number, b: number, c: number, d: number): number[] => [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, a, b, c, d]
const request: PcpMapRequest = { nonce, protocol: 'tcp', internalPort: 4000, suggestedExternalPort: 4000, suggestedExternalAddress: '0.0.0.0', clientAddress: '192.168.1.20', lifetimeSeconds: 3600 }
const success: PcpMapAnswer = { result: 'SUCCESS', lifetimeSeconds: 3600, epoch: 7, nonce, protocol: 6, internalPort: 4000, externalPort: 4100, externalAddress: '203.0.113.7' }

test('a MAP request is laid out as RFC 6887 draws it (§7.1 header, §11.1 MAP body)', () => {
  assert.deepEqual([...encodeMapRequest(request)], [
    // Version 2, R 0 and opcode MAP 1, reserved, requested lifetime 3600, client address ::ffff:192.168.1.20.
    2, 1, 0, 0, 0, 0, 0x0e, 0x10, ...mapped(192, 168, 1, 20),
    // Nonce, protocol 6 (TCP), reserved, internal port 4000, suggested external port 4000, suggested address ::ffff:0.0.0.0.
    ...nonce, 6, 0, 0, 0, 0x0f, 0xa0, 0x0f, 0xa0, ...mapped(0, 0, 0, 0)
  ])
  // UDP is 17; lifetime 0 deletes; a suggested address is sent IPv4-mapped too.
  const deletion = encodeMapRequest({ ...request, protocol: 'udp', lifetimeSeconds: 0, suggestedExternalPort: 0, suggestedExternalAddress: '203.0.113.7' })
  assert.equal(deletion.length, 60)
  assert.deepEqual([...deletion.subarray(4, 8)], [0, 0, 0, 0])
  assert.equal(deletion[36], 17)
  assert.deepEqual([...deletion.subarray(42, 60)], [0, 0, ...mapped(203, 0, 113, 7)])
})

test('a request with a field out of its range is refused before it is sent', () => {
  for (const bad of [
    { nonce: new Uint8Array(11) },
    { internalPort: 0 },
    { internalPort: 65536 },
    { suggestedExternalPort: -1 },
    { lifetimeSeconds: 2 ** 32 },
    { lifetimeSeconds: 1.5 },
    { clientAddress: '::1' },
    { clientAddress: '192.168.1.256' },
    { suggestedExternalAddress: 'router.local' }
  ]) assert.throws(() => encodeMapRequest({ ...request, ...bad }), RangeError, JSON.stringify(bad))
})

test('Debian miniupnpd 2.3.1\'s answer, as captured in the lab, is read field by field', () => {
  const bytes = Buffer.from('0281000000000e100000a9db000000000000000000000000d5d25a2deed9973d5b229d7f060000000fa00fa000000000000000000000ffff0b010002', 'hex')
  assert.deepEqual(decodeResponse(bytes), {
    kind: 'map', result: 'SUCCESS', lifetimeSeconds: 3600, epoch: 0xa9db, nonce: Uint8Array.from(bytes.subarray(24, 36)), protocol: 'tcp', internalPort: 4000, externalPort: 4000, externalAddress: '11.1.0.2'
  })
})

test('every result code is read by its RFC name and has words for the user', () => {
  const names: Array<Exclude<PcpResult, 'UNRECOGNISED'>> = ['SUCCESS', 'UNSUPP_VERSION', 'NOT_AUTHORIZED', 'MALFORMED_REQUEST', 'UNSUPP_OPCODE', 'UNSUPP_OPTION', 'MALFORMED_OPTION',
    'NETWORK_FAILURE', 'NO_RESOURCES', 'UNSUPP_PROTOCOL', 'USER_EX_QUOTA', 'CANNOT_PROVIDE_EXTERNAL', 'ADDRESS_MISMATCH', 'EXCESSIVE_REMOTE_PEERS']
  for (const [code, name] of names.entries()) {
    if (name === 'SUCCESS') continue
    // A refusal may be the bare 24-byte header (a request the gateway could not read) or carry the MAP body back.
    const header = encodeMapResponse({ ...success, result: name, lifetimeSeconds: 30 }).subarray(0, 24)
    assert.deepEqual(decodeResponse(header), { kind: 'map', result: name, code, lifetimeSeconds: 30, epoch: 7 }, name)
    assert.deepEqual(decodeResponse(encodeMapResponse({ ...success, result: name, lifetimeSeconds: 30 })), { kind: 'map', result: name, code, lifetimeSeconds: 30, epoch: 7, nonce, protocol: 'tcp', internalPort: 4000 }, name)
    assert.ok(PCP_RESULT_WORDS[name].length > 10 && !PCP_RESULT_WORDS[name].includes('_'), name)
  }
  const unknown = encodeMapResponse(success).subarray(0, 24)
  unknown[3] = 14
  assert.deepEqual(decodeResponse(unknown), { kind: 'map', result: 'UNRECOGNISED', code: 14, lifetimeSeconds: 3600, epoch: 7 })
})

test('every MAP response round-trips through the wire form, options stepped over', () => {
  const table: Array<[PcpMapAnswer, PcpResponse]> = [
    [success, { kind: 'map', result: 'SUCCESS', lifetimeSeconds: 3600, epoch: 7, nonce, protocol: 'tcp', internalPort: 4000, externalPort: 4100, externalAddress: '203.0.113.7' }],
    [{ ...success, protocol: 17, internalPort: 65535, externalPort: 1, lifetimeSeconds: 2 ** 32 - 1, epoch: 2 ** 32 - 1, externalAddress: '255.255.255.255' },
      { kind: 'map', result: 'SUCCESS', lifetimeSeconds: 2 ** 32 - 1, epoch: 2 ** 32 - 1, nonce, protocol: 'udp', internalPort: 65535, externalPort: 1, externalAddress: '255.255.255.255' }],
    // A deletion's answer may give port and address 0.
    [{ ...success, lifetimeSeconds: 0, externalPort: 0, externalAddress: '0.0.0.0' }, { kind: 'map', result: 'SUCCESS', lifetimeSeconds: 0, epoch: 7, nonce, protocol: 'tcp', internalPort: 4000, externalPort: 0, externalAddress: '0.0.0.0' }],
    // PREFER_FAILURE (2, no data), then an unknown option of 5 bytes padded to 8, then THIRD_PARTY (1, 16 bytes).
    [{ ...success, options: Uint8Array.of(2, 0, 0, 0, 200, 0, 0, 5, 1, 2, 3, 4, 5, 0, 0, 0, 1, 0, 0, 16, ...mapped(10, 0, 0, 9)) },
      { kind: 'map', result: 'SUCCESS', lifetimeSeconds: 3600, epoch: 7, nonce, protocol: 'tcp', internalPort: 4000, externalPort: 4100, externalAddress: '203.0.113.7' }]
  ]
  for (const [answer, decoded] of table) assert.deepEqual(decodeResponse(encodeMapResponse(answer)), decoded)
})

test('a gateway answering in version 0 (NAT-PMP) or 1 is one that speaks only that version (§9)', () => {
  // What a NAT-PMP-only router sends back to a version 2 request (RFC 6886 §3.5): 8 bytes, result 1.
  assert.deepEqual(decodeResponse(Uint8Array.of(0, 129, 0, 1, 0, 0, 3, 232)), { kind: 'older-version', version: 0 })
  assert.deepEqual(decodeResponse(Uint8Array.of(0, 128, 0, 1, 0, 0, 3, 232, 0, 0, 0, 0)), { kind: 'older-version', version: 0 })
  const v1 = encodeMapResponse({ ...success, result: 'UNSUPP_VERSION' })
  v1[0] = 1
  assert.deepEqual(decodeResponse(v1), { kind: 'older-version', version: 1 })
})

test('a packet that is not exactly a PCP MAP response is refused with the reason', () => {
  const good = encodeMapResponse(success)
  const set = (at: number, ...values: number[]): Uint8Array => { const copy = good.slice(); copy.set(values, at); return copy }
  const table: Array<[string, Uint8Array, RegExp]> = [
    ['empty', new Uint8Array(0), /too short/],
    ['three bytes', good.subarray(0, 3), /too short/],
    ['over 1100 bytes', encodeMapResponse({ ...success, options: Uint8Array.of(200, 0, 0x04, 0x0c, ...new Array<number>(1040).fill(0)) }), /1104 bytes, more than 1100/],
    ['20 bytes', good.subarray(0, 20), /too short \(20 bytes\)/],
    ['not in 4-byte words', Uint8Array.of(...good, 0, 0), /62 bytes, not a multiple of 4/],
    ['a request echoed back', set(1, 1), /a request, not a response/],
    ['version 0 request', set(0, 0, 1), /a request/],
    ['version 3', set(0, 3), /version 3, not 2/],
    ['version 255', set(0, 255), /version 255, not 2/],
    ['ANNOUNCE', set(1, 0x80), /opcode 0, not MAP/],
    ['PEER', set(1, 0x82), /opcode 2, not MAP/],
    ['a success of only the header', good.subarray(0, 24), /24 bytes, too short for a MAP response/],
    ['a success cut in the MAP body', good.subarray(0, 56), /56 bytes, too short for a MAP response/],
    ['protocol 1 (ICMP)', set(36, 1), /protocol 1, neither TCP nor UDP/],
    ['protocol 0 (all)', set(36, 0), /protocol 0/],
    ['internal port 0', set(40, 0, 0), /internal port 0/],
    ['a lasting mapping to port 0', set(42, 0, 0), /external 203\.0\.113\.7:0 for 3600 seconds/],
    ['a lasting mapping to address 0', set(56, 0, 0, 0, 0), /external 0\.0\.0\.0:4100 for 3600 seconds/],
    ['an IPv6 external address', set(44, 0x20, 0x01, 0x0d, 0xb8), /not IPv4/],
    ['::ffff missing', set(54, 0, 0), /not IPv4/],
    ['an option whose data runs past the end', Uint8Array.of(...good, 1, 0, 0, 16, 0, 0, 0, 0), /option 1 of 16 bytes runs past the end/],
    ['an option of length 0xffff', Uint8Array.of(...good, 200, 0, 0xff, 0xff), /option 200 of 65535 bytes runs past/],
    ['an option whose padding runs past the end', Uint8Array.of(...good, 200, 0, 0, 5, 1, 2, 3, 4), /option 200 of 5 bytes runs past/]
  ]
  for (const [what, bytes, reason] of table) {
    const decoded = decodeResponse(bytes)
    assert.equal(typeof decoded, 'string', what)
    assert.match(decoded as string, reason, what)
  }
})

test('only the answer for this very mapping is taken: its nonce, protocol and internal port', () => {
  assert.deepEqual(answerTo(request, encodeMapResponse(success)), decodeResponse(encodeMapResponse(success)))
  // A bare refusal names no mapping, and can only send us another way: it is taken.
  const bare = encodeMapResponse({ ...success, result: 'NO_RESOURCES' }).subarray(0, 24)
  assert.deepEqual(answerTo(request, bare), { kind: 'map', result: 'NO_RESOURCES', code: 8, lifetimeSeconds: 3600, epoch: 7 })
  assert.deepEqual(answerTo(request, Uint8Array.of(0, 129, 0, 1, 0, 0, 0, 1)), { kind: 'older-version', version: 0 })
  const otherNonce = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13)
  const table: Array<[string, PcpMapAnswer, RegExp]> = [
    ['another nonce', { ...success, nonce: otherNonce }, /another mapping nonce/],
    ['a refusal for another nonce', { ...success, result: 'NOT_AUTHORIZED', nonce: otherNonce }, /another mapping nonce/],
    ['UDP', { ...success, protocol: 17 }, /udp mapping, not tcp/],
    ['another internal port', { ...success, internalPort: 4001 }, /port 4001, not 4000/]
  ]
  for (const [what, answer, reason] of table) {
    const got = answerTo(request, encodeMapResponse(answer))
    assert.equal(typeof got, 'string', what)
    assert.match(got as string, reason, what)
  }
})
