// When a second session with the same member wins the duplicate tie-break, whatever was in flight on
// the first is lost with it; reconciliation must work again on the session that stays.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { createTestnet, FAST_TIMINGS, waitUntil } from '../helpers/testnet.ts'
import type { EventName } from '../../core/api/contract.ts'
import { generateIdentity, type Identity } from '../../core/identity/identity.ts'
import { encodeRanges } from '../../core/wire/messages.ts'
import { CloseCode } from '../../core/connection/close-codes.ts'
import { CONCURRENT_DIAL_WINDOW_MS } from '../../core/connection/replace-policy.ts'
import { emptySummary, fingerprintOf } from '../../core/history/fingerprint.ts'
import { HandDrivenPeer } from '../helpers/hand-driven-peer.ts'
import { channelPsk } from '../helpers/channel-psk.ts'

/** Opens a reconciliation exchange claiming to hold nothing: the node answers with its whole history. */
function askForEverything (peer: HandDrivenPeer): void {
  peer.send(encodeRanges({ ranges: [{ upper: null, mode: { kind: 'fingerprint', count: 0, fingerprint: fingerprintOf(emptySummary()) } }] }))
}

/** A hand-driven session that has said HELLO. */
async function dial (port: number, psk: Uint8Array, identity: Identity): Promise<HandDrivenPeer> {
  const peer = new HandDrivenPeer(port, psk, identity)
  await peer.established
  peer.hello({ name: 'twice', tcpPort: 0, observedAddress: '127.0.0.1:1' })
  return peer
}

test('a member whose new session replaces the old one reconciles on the new one, without flapping', async () => {
  const testnet = await createTestnet()
  try {
    const node = await testnet.node('honest', { timings: FAST_TIMINGS })
    const { uri, channelId } = await node.api['channels.create']({ name: 'relay', trackers: [] })
    await node.api['messages.send']({ channelId, text: 'history' })
    const psk = channelPsk(uri)
    const events: EventName[] = []
    node.onEvent((event) => { if (event.startsWith('peer.')) events.push(event) })
    const identity = generateIdentity()
    const first = await dial(node.listenPort, psk, identity)
    askForEverything(first)
    await waitUntil(() => first.received.some(m => m.type === 'history'), 5_000, 'history on the first session')
    // Two sessions from one dialler this close together would be settled by handshake hash, and a
    // first session with a low hash keeps beating new ones (1 run in 21 lost 20 tries in a row). Past
    // the window the newer one is a reconnect, and always replaces the first.
    await sleep(CONCURRENT_DIAL_WINDOW_MS + 100)
    const second = await dial(node.listenPort, psk, identity)
    await waitUntil(() => first.closed || second.closed, 5_000, 'one of the two sessions to be closed as a duplicate')
    assert.ok(first.closed && !second.closed, 'a second session replaced the first')
    const survivor = second
    askForEverything(survivor)
    await waitUntil(() => survivor.received.some(m => m.type === 'history'), 5_000, 'history on the session that stays')
    assert.deepEqual(events, ['peer.connected'])
    assert.equal((await node.api['peers.list']({ channelId })).length, 1)
    survivor.destroy()
  } finally {
    await testnet.close()
  }
})

test('a session the member closes as a duplicate with no replacement ends as a disconnect after a grace period', async () => {
  const testnet = await createTestnet()
  try {
    const node = await testnet.node('honest', { timings: FAST_TIMINGS })
    const { uri, channelId } = await node.api['channels.create']({ name: 'grace', trackers: [] })
    const reasons: string[] = []
    node.onEvent((event, payload) => { if (event === 'peer.disconnected') reasons.push((payload as { reason: string }).reason) })
    const peer = await dial(node.listenPort, channelPsk(uri), generateIdentity())
    await waitUntil(async () => (await node.api['peers.list']({ channelId })).length === 1, 5_000, 'the member')
    const closedAt = Date.now()
    peer.close(CloseCode.DUPLICATE, 'another connection is kept')
    const [reason] = await waitUntil(() => reasons.length > 0 ? reasons : undefined, 10_000, 'the disconnect')
    assert.ok(Date.now() - closedAt >= 2_500, 'the disconnect waited for a replacement')
    assert.match(reason ?? '', /another connection is kept, and no replacement arrived/)
    assert.deepEqual(await node.api['peers.list']({ channelId }), [])
  } finally {
    await testnet.close()
  }
})
