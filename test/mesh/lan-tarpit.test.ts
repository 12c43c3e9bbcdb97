import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, waitUntil } from '../helpers/testnet.ts'
import { floodLanAnnounces, startTarpits } from '../helpers/tarpit.ts'
import { parseChannelUri } from '../../core/channel/uri.ts'
import { infohashesToAnnounce } from '../../core/channel/keys.ts'
import { toHex } from '../../core/codec/hex.ts'

const LAN_ONLY = ['--no-dht', '--lan-interface', '127.0.0.1']

test('a new LAN-only member connects to a real member within seconds while a LAN host announces 200 tarpits', async (t) => {
  const testnet = await createTestnet()
  // A LAN host of its own: its announces come from 127.0.0.2, where its tarpits listen.
  const tarpits = await startTarpits(200, '127.0.0.2')
  let flood: Awaited<ReturnType<typeof floodLanAnnounces>> | null = null
  try {
    const real = testnet.daemon('real', { discovery: LAN_ONLY, logLevel: 'info' })
    const { uri, channelId } = await real.call('channels.create', { name: 'office', trackers: [] })
    const infohashes = infohashesToAnnounce(parseChannelUri(uri).secret, Date.now()).map(x => toHex(x.infohash))
    flood = await floodLanAnnounces({ from: tarpits.host, ports: tarpits.ports, infohashes })
    await waitUntil(() => flood !== null && flood.sent() >= 400, 10_000, 'the flood to be under way')

    const started = Date.now()
    const newcomer = testnet.daemon('newcomer', { discovery: LAN_ONLY, logLevel: 'info' })
    await newcomer.call('channels.join', { uri })
    await waitUntil(async () => (await newcomer.call('peers.list', { channelId })).some(p => p.name === 'real'), 10_000, 'the newcomer to reach the real member')
    t.diagnostic(`connected ${Date.now() - started} ms after the newcomer started; ${flood.sent()} announces sent, ${tarpits.accepted()} tarpit connections`)
    assert.ok(tarpits.accepted() > 0, 'the newcomer was offered the tarpits too')
  } finally {
    await flood?.stop()
    await testnet.close()
    await tarpits.close()
  }
})
