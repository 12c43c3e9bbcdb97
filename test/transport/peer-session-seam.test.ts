// A secure session needs nothing of a socket: over an in-memory pair it does its handshake, carries
// messages both ways, pauses, and closes, with the same deadlines.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { duplexPair } from '../helpers/duplex-pair.ts'
import { PeerSession } from '../../core/mesh/peer-session.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { silentLogger } from '../../core/log.ts'
import { encodePex } from '../../core/wire/messages.ts'
import { FAST_TIMINGS, waitUntil } from '../helpers/testnet.ts'
import { nextEvent } from '../helpers/wait.ts'

const psk = new Uint8Array(32).fill(4)

const dialler = generateIdentity()

function pair (): [PeerSession, PeerSession] {
  const [a, b] = duplexPair()
  const initiator = new PeerSession({ stream: a, initiator: true, identity: dialler, psks: [psk], log: silentLogger, timings: FAST_TIMINGS })
  const responder = new PeerSession({ stream: b, initiator: false, identity: generateIdentity(), psks: [new Uint8Array(32), psk], log: silentLogger, timings: FAST_TIMINGS })
  return [initiator, responder]
}

test('a session over an in-memory pair finishes its handshake and carries messages both ways', async () => {
  const [a, b] = pair()
  const [[established]] = await Promise.all([nextEvent(b, 'established'), nextEvent(a, 'established')])
  assert.equal(established.pskIndex, 1, 'the responder found the right PSK among its channels')
  assert.equal(established.remoteKeyHex, Buffer.from(dialler.publicKey).toString('hex'))
  assert.equal(b.address, '10.0.0.1:1000')
  const got = nextEvent(b, 'message')
  a.send(encodePex({ peers: [] }))
  assert.deepEqual((await got)[0], { type: 'pex', peers: [] })
  a.close('done', true)
  await waitUntil(() => b.closed, 2_000, 'the other end to close')
  assert.match(b.peerCloseReason ?? '', /done/)
})

test('a responder that hears nothing is given up at the first-message deadline', async () => {
  const [, b] = duplexPair()
  const responder = new PeerSession({ stream: b, initiator: false, identity: generateIdentity(), psks: [psk], log: silentLogger, timings: FAST_TIMINGS })
  const [reason] = await nextEvent(responder, 'close')
  assert.equal(reason, 'no handshake from the peer')
})
