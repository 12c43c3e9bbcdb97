// Real daemons in a namespace lab: a member behind a NAT reaches a member with a public address
// through a tracker on the public network, and they converse. (Two members behind NATs need
// issue 11's traversal; this is what works without it.)
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { NetLab, netnsUnavailable } from '../helpers/netns.ts'
import { waitUntil } from '../helpers/testnet.ts'

const skip = netnsUnavailable() ?? false

test('a member behind a NAT and a public member find each other through a tracker and converse', { skip }, async t => {
  const lab = NetLab.create()
  t.after(() => { lab.close() })
  const server = lab.publicHost()
  const site = lab.natSite('cone')
  const trackerUrl = await lab.tracker(server)
  const open = lab.daemon(server, 'open')
  const hidden = lab.daemon(site.host, 'hidden')

  const { channelId, uri } = await open.call('channels.create', { name: 'lab', trackers: [trackerUrl] })
  await hidden.call('channels.join', { uri })
  await waitUntil(async () => (await open.call('peers.list', { channelId })).length === 1 && (await hidden.call('peers.list', { channelId })).length === 1, 30_000, 'the two members to link')

  const [seenByOpen] = await open.call('peers.list', { channelId })
  assert.equal(seenByOpen?.name, 'hidden')
  assert.equal(seenByOpen?.address.split(':')[0], site.publicAddress, 'the public member sees the gateway, not the private address')

  const { messageId } = await hidden.call('messages.send', { channelId, text: 'hello from behind the NAT' })
  await waitUntil(async () => (await open.call('messages.list', { channelId })).some(m => m.messageId === messageId), 15_000, 'the message to arrive')
})
