import { test } from 'node:test'
import assert from 'node:assert/strict'
import { CLOSE_CODES, CloseCode, closeCodeFromWire, describeCloseCode, isCloseCode } from '../../core/connection/close-codes.ts'

test('the codes are the stable numbers of the protocol', () => {
  assert.deepEqual(CloseCode, {
    NORMAL: 0,
    SHUTTING_DOWN: 1,
    DUPLICATE: 2,
    NOT_INVITED: 3,
    LEFT_CHANNEL: 4,
    PROTOCOL_ERROR: 5,
    TIMED_OUT: 6,
    TOO_MANY_CONNECTIONS: 7,
    UNEXPECTED_IDENTITY: 8,
    NOT_JOINED: 9,
    OVERLOADED: 10,
    RELAY_REFUSED: 20,
    UNREACHABLE: 21,
    TOO_MANY_CIRCUITS: 22,
    CIRCUIT_EXPIRED: 23
  })
})

test('every code has a distinct name and a plain-words sentence', () => {
  const infos = Object.values(CloseCode).map(code => CLOSE_CODES[code])
  assert.equal(new Set(infos.map(i => i.name)).size, infos.length)
  for (const { description } of infos) assert.match(description, /^[A-Z][^\n]{5,120}\.$/)
  assert.equal(describeCloseCode(CloseCode.NOT_INVITED), CLOSE_CODES[3].description)
})

test('a known number decodes to itself', () => {
  for (const code of Object.values(CloseCode)) assert.equal(closeCodeFromWire(code), code)
})

test('a number this version does not know decodes to NORMAL without failing', () => {
  for (const n of [11, 19, 24, 255, 4000, Number.MAX_SAFE_INTEGER]) {
    assert.equal(isCloseCode(n), false)
    assert.equal(closeCodeFromWire(n), CloseCode.NORMAL)
  }
})
