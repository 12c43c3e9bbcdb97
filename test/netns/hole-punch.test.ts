// Two members behind NATs cannot dial each other; they first talk through a public member that relays,
// then punch through both NATs and move onto a direct UDP connection without losing a message
// (PROTOCOL §3.8). Cone × cone punches directly; symmetric × cone punches by the birthday approach or
// stays relayed, and converses either way. DHT nodes on the public network tell each member how its
// NAT maps UDP (BEP 42).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { NatKind } from '../helpers/netns.ts'
import { NetLab, netnsUnavailable } from '../helpers/netns.ts'
import { waitUntil, type DaemonProcess } from '../helpers/testnet.ts'

const skip = netnsUnavailable() ?? false

interface PunchLab { alice: DaemonProcess; bob: DaemonProcess; relay: DaemonProcess; channelId: string; aliceKey: string; bobKey: string; relayKey: string; mendUdp: () => void }

/** A public member (the relay), DHT nodes and a tracker; alice and bob behind NATs of these kinds, UDP between their sites cut when `cut`. */
async function punchLab (t: { after: (fn: () => void) => void }, kinds: [NatKind, NatKind], cut = false): Promise<PunchLab> {
  const lab = NetLab.create()
  t.after(() => { lab.close() })
  const pub = lab.publicHost()
  const trackerUrl = await lab.tracker(pub)
  const bootstrap = await lab.dhtNodes(pub, 3)
  const discovery = ['--no-lan', '--no-port-mapping', '--dht-bootstrap', bootstrap]
  const [siteA, siteB] = [lab.natSite(kinds[0]), lab.natSite(kinds[1])]
  const mendUdp = cut ? lab.cutUdp(siteA, siteB) : () => {}
  const relay = lab.daemon(pub, 'relay', { discovery })
  const alice = lab.daemon(siteA.host, 'alice', { discovery })
  const bob = lab.daemon(siteB.host, 'bob', { discovery })
  const key = async (d: DaemonProcess): Promise<string> => (await d.call('identity.get', {})).publicKey
  const { uri, channelId } = await relay.call('channels.create', { name: 'punch', trackers: [trackerUrl] })
  await alice.call('channels.join', { uri })
  await bob.call('channels.join', { uri })
  return { alice, bob, relay, channelId, aliceKey: await key(alice), bobKey: await key(bob), relayKey: await key(relay), mendUdp }
}

test('two members behind cone NATs end up on a direct UDP connection', { skip }, async t => {
  const { alice, bob, channelId, bobKey } = await punchLab(t, ['cone', 'cone'])
  await waitUntil(async () => (await alice.call('peers.list', { channelId })).find(p => p.publicKey === bobKey)?.transport === 'udp', 60_000, 'a direct UDP connection between alice and bob')
  await alice.call('messages.send', { channelId, text: 'straight through' })
  await waitUntil(async () => (await bob.call('messages.list', { channelId })).some(m => m.text === 'straight through'), 15_000, 'the message at bob')
})

test('a relayed connection moves to a punched UDP one once UDP between the sites works, and every message arrives once', { skip }, async t => {
  const { alice, bob, channelId, bobKey, relayKey, mendUdp } = await punchLab(t, ['cone', 'cone'], true)
  await waitUntil(async () => (await alice.call('network.status', {})).nat === 'consistent', 30_000, 'alice to learn her NAT maps consistently')
  const sent: string[] = []
  let sending = true
  const sender = (async () => {
    for (let i = 0; sending || i < 5; i++) {
      const text = `m${i}`
      await alice.call('messages.send', { channelId, text })
      sent.push(text)
      await new Promise(resolve => setTimeout(resolve, 100))
    }
  })()
  const path = async (): Promise<{ transport?: string; via?: string; punched?: boolean } | undefined> => (await alice.call('peers.list', { channelId })).find(p => p.publicKey === bobKey)
  await waitUntil(async () => (await path())?.transport === 'relay', 60_000, 'alice and bob to talk through the relay first')
  assert.equal((await path())?.via, relayKey)
  // The first punch fails while UDP between the sites is cut; the next one, a minute later, gets through.
  await new Promise(resolve => setTimeout(resolve, 5_000))
  mendUdp()
  await waitUntil(async () => (await path())?.transport === 'udp', 90_000, 'the punched UDP connection to replace the relayed one')
  assert.equal((await path())?.punched, true)
  const atBob = (await bob.call('peers.list', { channelId })).find(p => p.transport === 'udp')
  assert.equal(atBob?.punched, true, 'bob sees the punched connection too')
  sending = false
  await sender
  await waitUntil(async () => {
    const texts = (await bob.call('messages.list', { channelId, limit: 500 })).map(m => m.text)
    return sent.every(s => texts.includes(s))
  }, 30_000, 'every message sent across the switch to reach bob')
  const texts = (await bob.call('messages.list', { channelId, limit: 500 })).map(m => m.text).filter(x => /^m\d+$/.test(x))
  assert.equal(texts.length, new Set(texts).size, 'none twice')
  assert.equal(texts.length, sent.length)
})

test('a member behind a symmetric NAT and one behind a cone NAT converse, punched or relayed', { skip }, async t => {
  const { alice, bob, channelId, bobKey } = await punchLab(t, ['symmetric', 'cone'])
  await waitUntil(async () => (await alice.call('network.status', {})).nat === 'random', 30_000, 'alice to learn her NAT gives each destination a new port')
  await waitUntil(async () => (await alice.call('peers.list', { channelId })).some(p => p.publicKey === bobKey), 60_000, 'alice and bob to connect')
  await alice.call('messages.send', { channelId, text: 'through any NAT' })
  await waitUntil(async () => (await bob.call('messages.list', { channelId })).some(m => m.text === 'through any NAT'), 30_000, 'the message at bob')
  // Whichever way it went, it settles: a birthday punch takes a few seconds after the relay is up.
  await new Promise(resolve => setTimeout(resolve, 12_000))
  const peer = (await alice.call('peers.list', { channelId })).find(p => p.publicKey === bobKey)
  t.diagnostic(`symmetric × cone: ${peer?.transport}${peer?.punched === true ? ' (punched)' : ''}`)
  assert.ok(peer?.transport === 'relay' || (peer?.transport === 'udp' && peer.punched === true), `a relayed or punched connection, not ${peer?.transport}`)
})
