import { test } from 'node:test'
import assert from 'node:assert/strict'
import { decodeCompactIPv4, encodeCompactIPv4, isLoopbackIPv4, isPrivateIPv4, isUnicast } from '../../core/wire/address.ts'

const table: [string, boolean][] = [
  ['192.0.2.7', true], ['10.1.2.3', true], ['127.0.0.1', true], ['0.0.0.0', false], ['0.1.2.3', false],
  ['224.0.0.1', false], ['239.192.152.143', false], ['255.255.255.255', false],
  ['2001:db8::1', true], ['::1', true], ['fe80::1', true], ['::', false], ['0:0::0', false], ['ff02::1', false], ['FF15::efc0:988f', false],
  ['fe80::1%eth0', false], ['example.org', false], ['', false]
]

for (const [host, expected] of table) {
  test(`${JSON.stringify(host)} is ${expected ? '' : 'not '}a unicast address`, () => {
    assert.equal(isUnicast(host), expected)
  })
}

test('the compact IPv4 form round-trips, big-endian port, and refuses what it cannot hold', () => {
  assert.deepEqual([...encodeCompactIPv4('1.2.3.4', 0x1f90)], [1, 2, 3, 4, 0x1f, 0x90])
  assert.deepEqual(decodeCompactIPv4(Uint8Array.of(9, 1, 2, 3, 4, 5, 6, 0xff, 0xfe), 3), { host: '3.4.5.6', port: 0xfffe })
  for (const [host, port] of [['::1', 1], ['1.2.3', 1], ['1.2.3.4', 0], ['1.2.3.4', 65536], ['example.com', 80]] as const) {
    assert.throws(() => encodeCompactIPv4(host, port), RangeError, `${host}:${port}`)
  }
})

test('private and loopback IPv4 ranges', () => {
  const table: Array<[string, boolean, boolean]> = [
    ['10.1.2.3', true, false], ['172.16.0.1', true, false], ['172.32.0.1', false, false], ['192.168.1.1', true, false],
    ['100.64.0.1', true, false], ['100.128.0.1', false, false], ['169.254.1.1', true, false],
    ['127.0.0.1', false, true], ['8.8.8.8', false, false], ['::1', false, false]
  ]
  for (const [host, priv, loop] of table) assert.deepEqual([isPrivateIPv4(host), isLoopbackIPv4(host)], [priv, loop], host)
})
