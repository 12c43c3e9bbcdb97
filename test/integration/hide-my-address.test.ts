// 'Hide my IP address' between real daemons on loopback, with a real tracker that records every announce:
// Alice hides her address; Bob is her contact; Carol, in the same channel and connected to Bob, is not.
// Alice and Carol talk through Bob as relay, Carol never has a direct connection with Alice, and no tracker
// hears from Alice while the option is on. Turned off, Alice announces again and Carol may reach her directly.
import type { EventEmitter } from 'node:events'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { PeerInfo } from '../../core/api/contract.ts'
import { startTrackerServer } from '../helpers/tracker-server.ts'
import { createTestnet, waitUntil, type DaemonProcess } from '../helpers/testnet.ts'

const keyOf = async (d: DaemonProcess): Promise<string> => (await d.call('identity.get', {})).publicKey
const texts = async (d: DaemonProcess, channelId: string): Promise<string[]> => (await d.call('messages.list', { channelId })).map(m => m.text)

test('a member hiding its address talks with a member who is not its contact only through a relay, and no tracker lists it', async t => {
  const net = await createTestnet()
  t.after(() => net.close())
  const tracker = await startTrackerServer({ interval: 1_000 })
  t.after(() => tracker.close())
  /** Every announce the tracker took: the port the announcer gave, and what it announced. */
  const announces: Array<{ port: number; event: string }> = []
  const events = tracker.server as unknown as EventEmitter
  for (const event of ['start', 'update', 'complete', 'stop']) {
    events.on(event, (_addr: string, params: { port: number }) => { announces.push({ port: params.port, event }) })
  }

  const alice = net.daemon('alice')
  const bob = net.daemon('bob')
  const carol = net.daemon('carol')
  const [aliceKey, bobKey, carolKey] = [await keyOf(alice), await keyOf(bob), await keyOf(carol)]
  // Alice and Bob met before, as contacts do.
  const { uri: pairUri, channelId: pair } = await alice.call('channels.create', { name: 'us two', trackers: [tracker.httpUrl] })
  await bob.call('channels.join', { uri: pairUri })
  await waitUntil(async () => (await alice.call('peers.list', { channelId: pair })).length === 1, 20_000, 'alice and bob to meet')
  await alice.call('contacts.add', { publicKey: bobKey })
  await bob.call('contacts.add', { publicKey: aliceKey })
  const alicePort = (await alice.call('network.status', {})).listenPort
  assert.ok(announces.some(a => a.port === alicePort), 'the tracker heard from alice before')

  await alice.call('settings.set', { relayOnly: true })
  const status = await alice.call('network.status', {})
  assert.equal(status.relayOnly, true)
  assert.equal((await alice.call('settings.get', {})).relayOnly, true)
  await waitUntil(() => announces.some(a => a.port === alicePort && a.event === 'stop'), 10_000, 'alice to leave the tracker\'s list')
  const heardBefore = announces.length

  // Carol must never be connected to Alice but through a relay: watched from the start.
  const seenAtCarol = new Set<string>()
  let watching = true
  const { uri, channelId } = await alice.call('channels.create', { name: 'everyone', trackers: [tracker.httpUrl] })
  await bob.call('channels.join', { uri })
  await carol.call('channels.join', { uri })
  const watch = (async () => {
    while (watching) {
      for (const p of await carol.call('peers.list', { channelId }) as PeerInfo[]) if (p.publicKey === aliceKey) seenAtCarol.add(p.transport)
      await new Promise(resolve => setTimeout(resolve, 50))
    }
  })()
  t.after(async () => { watching = false; await watch })

  await waitUntil(async () => (await carol.call('peers.list', { channelId })).some(p => p.publicKey === bobKey), 20_000, 'carol to meet bob')
  await waitUntil(async () => (await carol.call('peers.list', { channelId })).some(p => p.publicKey === aliceKey), 30_000, 'carol to be linked with alice')
  const atCarol = (await carol.call('peers.list', { channelId })).find(p => p.publicKey === aliceKey)
  assert.deepEqual([atCarol?.transport, atCarol?.via], ['relay', bobKey], 'alice reaches carol through bob')
  const atAlice = await alice.call('peers.list', { channelId })
  assert.deepEqual(atAlice.map(p => [p.publicKey, p.transport, p.via ?? null]).sort(), [[bobKey, 'tcp', null], [carolKey, 'relay', bobKey]].sort(), 'bob directly (a contact), carol through him')

  await alice.call('messages.send', { channelId, text: 'from behind bob' })
  await carol.call('messages.send', { channelId, text: 'hello hidden alice' })
  await waitUntil(async () => (await texts(carol, channelId)).includes('from behind bob'), 15_000, 'alice\'s message at carol')
  await waitUntil(async () => (await texts(alice, channelId)).includes('hello hidden alice'), 15_000, 'carol\'s message at alice')

  await waitUntil(() => seenAtCarol.size > 0, 5_000, 'the watch to see alice at carol')
  watching = false
  await watch
  assert.deepEqual([...seenAtCarol], ['relay'], 'carol saw alice only through a relay')
  assert.ok(!(await carol.call('network.status', {})).channels.some(c => c.addresses.some(a => a.publicKey === aliceKey && a.via === undefined)), 'carol knows no address of alice\'s')
  assert.ok(announces.length > heardBefore, 'the tracker took announces meanwhile (bob\'s, carol\'s)')
  assert.ok(!announces.slice(heardBefore).some(a => a.port === alicePort), 'no announce from alice while she hides her address')

  // Started again (the flag as well as the setting): she finds Bob where she met him, asking no tracker.
  const aliceDir = alice.dataDir
  await alice.stop()
  const heardBeforeRestart = announces.length
  const again = net.daemon('alice', { dataDir: aliceDir, args: ['--relay-only'] })
  await waitUntil(async () => (await again.call('peers.list', { channelId })).some(p => p.publicKey === bobKey && p.transport === 'tcp'), 20_000, 'alice to find bob again')
  await waitUntil(async () => (await carol.call('peers.list', { channelId })).find(p => p.publicKey === aliceKey)?.transport === 'relay', 30_000, 'carol to be linked with alice again, through bob')
  assert.ok(!announces.slice(heardBeforeRestart).some(a => a.port === alicePort), 'no announce from alice after the restart')

  // Turned off: Alice announces again and takes connections, without a restart.
  await again.call('settings.set', { relayOnly: false })
  assert.equal((await again.call('network.status', {})).relayOnly, false)
  await waitUntil(() => announces.slice(heardBeforeRestart).some(a => a.port === alicePort), 10_000, 'alice to announce again')
  await waitUntil(async () => (await carol.call('peers.list', { channelId })).find(p => p.publicKey === aliceKey)?.transport === 'tcp', 30_000, 'carol and alice connected directly')
})
