import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isUnicast } from '../../core/wire/address.ts'

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
