// A connection over an in-memory pair: handshake, streams, codes, deadlines — no sockets.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { duplexPair } from '../helpers/duplex-pair.ts'
import { Connection } from '../../core/connection/connection.ts'
import { CloseCode } from '../../core/connection/close-codes.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { toHex } from '../../core/codec/hex.ts'
import { silentLogger } from '../../core/log.ts'
import { FAST_TIMINGS, waitUntil } from '../helpers/testnet.ts'
import { nextEvent } from '../helpers/wait.ts'

const psk = new Uint8Array(32).fill(4)
const dialler = generateIdentity()
const listener = generateIdentity()

function pair (responderPsks = [new Uint8Array(32), psk]): [Connection, Connection] {
  const [a, b] = duplexPair()
  return [
    new Connection({ stream: a, initiator: true, identity: dialler, psks: [psk], log: silentLogger, timings: FAST_TIMINGS }),
    new Connection({ stream: b, initiator: false, identity: listener, psks: responderPsks, log: silentLogger, timings: FAST_TIMINGS })
  ]
}

test('a connection does its handshake, and streams carry messages both ways', async () => {
  const [a, b] = pair()
  const [[info]] = await Promise.all([nextEvent(b, 'established'), nextEvent(a, 'established')])
  assert.deepEqual(info, { remoteKeyHex: toHex(dialler.publicKey), pskIndex: 1 })
  assert.equal(a.remoteKeyHex, toHex(listener.publicKey))
  const incoming = nextEvent(b, 'stream')
  const out = a.open('test/echo/1', new Uint8Array(32).fill(7))
  const [theirs] = await incoming
  assert.equal(theirs.protocol, 'test/echo/1')
  b.accept(theirs)
  theirs.on('message', (m: Uint8Array) => { theirs.send(Uint8Array.from([0x02, ...m.subarray(1)])) })
  const reply = nextEvent(out, 'message')
  out.send(Uint8Array.of(0x01, 42))
  assert.deepEqual([...(await reply)[0]], [0x02, 42])
})

test('closing tells the peer the code and the reason', async () => {
  const [a, b] = pair()
  await Promise.all([nextEvent(b, 'established'), nextEvent(a, 'established')])
  const closed = nextEvent(b, 'close')
  a.close(CloseCode.DUPLICATE, 'another connection is kept')
  const [info] = await closed
  assert.equal(info.code, CloseCode.DUPLICATE)
  assert.equal(info.text, 'another connection is kept')
  assert.equal(info.remote, true)
  await waitUntil(() => a.closed, 2_000, 'our side closed')
})

test('a responder without the PSK closes without a word; a silent stream is given up at its deadline', async () => {
  const [a, b] = pair([new Uint8Array(32)])
  const [info] = await nextEvent(b, 'close')
  assert.equal(info.code, CloseCode.PROTOCOL_ERROR)
  assert.match(info.text, /WRONG_PSK/)
  await waitUntil(() => a.closed, 2_000, 'the dialler to see it end')
  const [, silent] = duplexPair()
  const waiting = new Connection({ stream: silent, initiator: false, identity: listener, psks: [psk], log: silentLogger, timings: FAST_TIMINGS })
  const [timeout] = await nextEvent(waiting, 'close')
  assert.deepEqual([timeout.code, timeout.text], [CloseCode.TIMED_OUT, 'no handshake from the peer'])
})

test('keepalives measure the round trip', async () => {
  const [a, b] = pair()
  await Promise.all([nextEvent(b, 'established'), nextEvent(a, 'established')])
  await waitUntil(() => a.rttMs !== null, 2_000, 'a round-trip time')
  a.close(CloseCode.NORMAL)
})
