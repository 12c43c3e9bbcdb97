// A member behind a NAT whose gateway drops a tenth of all packets, each way, at random: 1,000
// messages from each side all arrive, each exactly once, whatever the losses cost the connection.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { NetLab, netnsUnavailable } from '../helpers/netns.ts'
import { waitUntil, type DaemonProcess } from '../helpers/testnet.ts'

const skip = netnsUnavailable() ?? false
const COUNT = 1_000

test('with 10% random loss on the NAT link, 1,000 messages each way all arrive exactly once', { skip, timeout: 300_000 }, async t => {
  const lab = NetLab.create()
  t.after(() => { lab.close() })
  const server = lab.publicHost()
  const site = lab.natSite('cone', { loss: 0.1 })
  const trackerUrl = await lab.tracker(server)
  const open = lab.daemon(server, 'open', { logLevel: 'info' })
  const lossy = lab.daemon(site.host, 'lossy', { logLevel: 'info' })
  const { channelId, uri } = await open.call('channels.create', { name: 'lossy', trackers: [trackerUrl] })
  await lossy.call('channels.join', { uri })
  await waitUntil(async () => (await open.call('peers.list', { channelId })).length === 1, 60_000, 'the two to link over the lossy link')

  const sent = { open: [] as string[], lossy: [] as string[] }
  for (let i = 0; i < COUNT; i++) {
    const [a, b] = await Promise.all([
      open.call('messages.send', { channelId, text: `from open ${i}` }),
      lossy.call('messages.send', { channelId, text: `from lossy ${i}` })
    ])
    sent.open.push(a.messageId)
    sent.lossy.push(b.messageId)
  }
  const all = async (d: DaemonProcess): Promise<string[]> => {
    const ids: string[] = []
    let before: string | undefined
    for (;;) {
      const page = await d.call('messages.list', { channelId, limit: 500, ...(before === undefined ? {} : { before }) })
      ids.push(...page.map(m => m.messageId))
      if (page.length < 500) return ids
      before = page[0]!.messageId
    }
  }
  await waitUntil(async () => (await all(open)).length === 2 * COUNT && (await all(lossy)).length === 2 * COUNT, 240_000, 'every message on both sides')
  for (const d of [open, lossy]) {
    const ids = await all(d)
    assert.equal(new Set(ids).size, ids.length, `${d.name} shows no message twice`)
    assert.deepEqual(new Set(ids), new Set([...sent.open, ...sent.lossy]), `${d.name} has exactly what was sent`)
  }
})
