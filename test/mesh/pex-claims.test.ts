// A PEX entry says who listens at an address. The node dials it expecting that key: whoever else
// answers there does not get a finished handshake, and one member cannot fill the address book.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { once } from 'node:events'
import { createTestnet, FAST_TIMINGS, waitUntil } from '../helpers/testnet.ts'
import { HandDrivenPeer } from '../helpers/hand-driven-peer.ts'
import { SecureConnection } from '../../core/session/secure-connection.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { toHex } from '../../core/codec/hex.ts'
import { encodePex } from '../../core/wire/messages.ts'
import { channelPsk } from '../helpers/channel-psk.ts'

/** A member listening at an address: counts the handshakes it begins and those it finishes. */
async function listeningMember (psk: Uint8Array): Promise<{ port: number; begun: number; finished: number; close: () => void }> {
  const state = { port: 0, begun: 0, finished: 0, close: () => {} }
  const server = net.createServer((socket) => {
    socket.on('error', () => {})
    state.begun++
    const connection = new SecureConnection({ initiator: false, identity: generateIdentity(), psks: [psk], onSend: (chunks) => { for (const c of chunks) socket.write(c) }, onEstablished: () => { state.finished++ }, onMessage: () => {} })
    socket.on('data', (d: Buffer) => { try { connection.receive(d) } catch { socket.destroy() } })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  state.port = (server.address() as net.AddressInfo).port
  state.close = () => { server.close() }
  return state
}

test('an address another member names with a key is dialled expecting that key; someone else there gets no finished handshake', async () => {
  const testnet = await createTestnet()
  try {
    const node = await testnet.node('node', { timings: FAST_TIMINGS })
    const { channelId, uri } = await node.api['channels.create']({ name: 'claims', trackers: [] })
    const psk = channelPsk(uri)
    const impostorAddress = await listeningMember(psk)
    const teller = new HandDrivenPeer(node.listenPort, psk)
    await teller.established
    const claimed = toHex(generateIdentity().publicKey)
    teller.hello({ name: 'teller', tcpPort: 0, observedAddress: '127.0.0.1:1', peers: [{ publicKey: claimed, host: '127.0.0.1', port: impostorAddress.port }] })
    await waitUntil(() => impostorAddress.begun > 0, 5_000, 'the node to dial the named address')
    await new Promise(resolve => setTimeout(resolve, 300))
    assert.equal(impostorAddress.finished, 0, 'the node finished a handshake with a key other than the one named')
    const known = (await node.api['network.status']({})).channels.find(c => c.channelId === channelId)?.addresses ?? []
    assert.ok(known.some(a => a.address === `127.0.0.1:${impostorAddress.port}` && a.status === 'backoff'), JSON.stringify(known))
    teller.destroy()
    impostorAddress.close()
  } finally {
    await testnet.close()
  }
})

test('one member\'s PEX lists cannot fill the address book: at most 16 of its addresses are kept', async () => {
  const testnet = await createTestnet()
  try {
    const node = await testnet.node('node', { timings: FAST_TIMINGS })
    const { channelId, uri } = await node.api['channels.create']({ name: 'flood', trackers: [] })
    const teller = new HandDrivenPeer(node.listenPort, channelPsk(uri))
    await teller.established
    const entries = (from: number) => Array.from({ length: 64 }, (_, i) => ({ publicKey: toHex(generateIdentity().publicKey), host: `127.0.${1 + ((from + i) >> 8)}.${(from + i) & 255}`, port: 9 }))
    teller.hello({ name: 'teller', tcpPort: 0, observedAddress: '127.0.0.1:1', peers: entries(0) })
    teller.send(encodePex({ peers: entries(64) }))
    await waitUntil(async () => ((await node.api['network.status']({})).channels.find(c => c.channelId === channelId)?.addresses.length ?? 0) >= 16, 5_000, 'addresses learnt')
    // Both lists came within the PEX burst: the second has been taken in by now, or refused.
    await new Promise(resolve => setTimeout(resolve, 500))
    const known = (await node.api['network.status']({})).channels.find(c => c.channelId === channelId)?.addresses ?? []
    assert.ok(known.filter(a => a.sources.includes('pex')).length <= 16, `${known.length} addresses kept from one member`)
    teller.destroy()
  } finally {
    await testnet.close()
  }
})
