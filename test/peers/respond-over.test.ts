// The pool answering a handshake over a stream a relay gave: kept when it proves the key the relay
// named, closed (unexpected identity) when another key answers.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { duplexPair } from '../helpers/duplex-pair.ts'
import { nextEvent } from '../helpers/wait.ts'
import { FAST_TIMINGS, waitUntil } from '../helpers/testnet.ts'
import { ConnectionPool } from '../../core/peers/connection-pool.ts'
import { Connection } from '../../core/connection/connection.ts'
import { CloseCode } from '../../core/connection/close-codes.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { toHex } from '../../core/codec/hex.ts'
import { silentLogger } from '../../core/log.ts'
import { createProfile } from '../../core/wire/profile.ts'

const psk = new Uint8Array(32).fill(6)
const [us, alice, carol] = [generateIdentity(), generateIdentity(), generateIdentity()]
const profile = createProfile({ identity: us, seq: 1, timestamp: Date.now(), name: 'us', tcpPort: 0, udpPort: 0 }).raw

function pool (): ConnectionPool {
  const p = new ConnectionPool({ identity: us, log: silentLogger, timings: FAST_TIMINGS, profile: () => profile, onProfile: () => {}, onObserved: () => {}, onGone: () => {} })
  p.addTopic({ channelId: 'c'.repeat(64), psk, isAllowed: () => true, attach: () => {} })
  return p
}

test('a relayed handshake that proves the key the relay named is kept; another key is closed as unexpected', async () => {
  const p = pool()
  try {
    const [ours, theirs] = duplexPair()
    p.respondOver(ours, toHex(alice.publicKey))
    const dialler = new Connection({ stream: theirs, initiator: true, identity: alice, psks: [psk], log: silentLogger, timings: FAST_TIMINGS })
    await nextEvent(dialler, 'established')
    await waitUntil(() => p.connectionTo(toHex(alice.publicKey)), 5_000, 'the connection kept')

    const [ours2, theirs2] = duplexPair()
    p.respondOver(ours2, toHex(alice.publicKey))
    const impostor = new Connection({ stream: theirs2, initiator: true, identity: carol, psks: [psk], log: silentLogger, timings: FAST_TIMINGS })
    const [info] = await nextEvent(impostor, 'close')
    assert.equal(info.code, CloseCode.UNEXPECTED_IDENTITY)
    assert.equal(p.connectionTo(toHex(carol.publicKey)), undefined)
  } finally {
    await p.close()
  }
})
