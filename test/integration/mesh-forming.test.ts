// Twenty members joining a channel at once form a full mesh without wasting many handshakes: each
// pair that learns of each other from the same peer list no longer dials both ways at once (the end
// whose dial the duplicate rule drops waits a moment), and a dial still on its way when the peer's
// own connection lands is given up before its handshake ends.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, waitUntil } from '../helpers/testnet.ts'
import type { BitChatNode } from '../../core/node/node.ts'

const MEMBERS = 20

test('twenty members joining at once form a full mesh with duplicates under a fifth of the links kept', async (t) => {
  const net = await createTestnet({ trackerInterval: 2_000 })
  t.after(() => net.close())
  const nodes: BitChatNode[] = []
  for (let i = 0; i < MEMBERS; i++) nodes.push(await net.node(`m${i}`))
  const { uri, channelId } = await nodes[0]!.api['channels.create']({ name: 'forming', trackers: [net.trackerUrl] })
  await Promise.all(nodes.slice(1).map(async n => await n.api['channels.join']({ uri })))
  await waitUntil(async () => (await Promise.all(nodes.map(async n => (await n.api['peers.list']({ channelId })).length))).every(c => c === MEMBERS - 1), 60_000, 'a full mesh')
  const statuses = await Promise.all(nodes.map(async n => await n.api['network.status']({})))
  const links = statuses.reduce((sum, s) => sum + (s.connections ?? 0), 0) / 2
  const duplicates = statuses.reduce((sum, s) => sum + (s.duplicates ?? 0), 0)
  t.diagnostic(`${links} links kept, ${duplicates} handshakes ended as duplicates`)
  assert.equal(links, MEMBERS * (MEMBERS - 1) / 2)
  assert.ok(duplicates < links / 5, `${duplicates} duplicates for ${links} links`)
})
