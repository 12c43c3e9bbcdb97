import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { createTestnet, tempDir, waitUntil, type DaemonProcess, type Testnet } from '../helpers/testnet.ts'
import { Store } from '../../core/store/store.ts'

const fullMesh = async (daemons: DaemonProcess[], channelId: string): Promise<void> => {
  await waitUntil(async () => {
    const counts = await Promise.all(daemons.map(async d => (await d.call('peers.list', { channelId })).length))
    return counts.every(c => c === daemons.length - 1)
  }, 15_000, 'a full mesh')
}

describe('three daemons on a loopback tracker', () => {
  let net: Testnet
  let a: DaemonProcess, b: DaemonProcess, c: DaemonProcess
  let channelId: string
  let chatFile: string
  const cDir = tempDir()

  before(async () => {
    net = await createTestnet()
    a = net.daemon('alice')
    b = net.daemon('bob')
    c = net.daemon('carol', { dataDir: cDir })
    chatFile = path.join(tempDir(), 'team.chat')
    const created = await a.call('channels.create', { name: 'team', trackers: [net.trackerUrl], file: chatFile })
    channelId = created.channelId
    assert.equal(created.file, chatFile)
    const joinedB = await b.call('channels.join', { file: chatFile })
    const joinedC = await c.call('channels.join', { uri: created.uri })
    assert.deepEqual(joinedB, { channelId, name: 'team' })
    assert.deepEqual(joinedC, { channelId, name: 'team' })
  })

  after(async () => { await net.close() })

  it('reach a full mesh through the tracker', async () => {
    await fullMesh([a, b, c], channelId)
    const peers = await a.call('peers.list', { channelId })
    assert.deepEqual(peers.map(p => p.name).sort(), ['bob', 'carol'])
    for (const p of peers) {
      assert.equal(p.transport, 'tcp')
      assert.match(p.address, /^127\.0\.0\.1:\d+$/)
      assert.match(p.publicKey, /^[0-9a-f]{64}$/)
    }
    const listed = await b.call('channels.list', {})
    assert.equal(listed.length, 1)
    assert.equal(listed[0]?.peerCount, 2)
  })

  it('deliver every message to every other peer exactly once', async () => {
    await fullMesh([a, b, c], channelId)
    const daemons = [a, b, c]
    const sent: { from: DaemonProcess; messageId: string; text: string }[] = []
    for (const [i, d] of daemons.entries()) {
      for (let n = 0; n < 3; n++) {
        const text = `hello ${n} from ${d.name} (${i})`
        const { messageId } = await d.call('messages.send', { channelId, text })
        sent.push({ from: d, messageId, text })
      }
    }
    for (const d of daemons) {
      const expected = sent.filter(s => s.from !== d)
      await waitUntil(() => expected.every(s => d.received('message.received').some(m => m.messageId === s.messageId)), 10_000, `messages at ${d.name}`)
    }
    await new Promise(resolve => setTimeout(resolve, 500))
    for (const d of daemons) {
      const ids = d.received('message.received').map(m => m.messageId)
      assert.equal(ids.length, new Set(ids).size, `${d.name} got a message twice`)
      assert.equal(ids.length, sent.filter(s => s.from !== d).length)
      const history = await d.call('messages.list', { channelId })
      assert.deepEqual(new Set(history.map(m => m.messageId)), new Set(sent.map(s => s.messageId)))
      for (const m of history) {
        const origin = sent.find(s => s.messageId === m.messageId)
        assert.equal(m.text, origin?.text)
        assert.equal(m.own, origin?.from === d)
      }
    }
  })

  it('never give a session to a daemon holding another secret for the same trackers', async () => {
    const dir = tempDir()
    const eve = net.daemon('eve', { dataDir: dir })
    const forged = await eve.call('channels.create', { name: 'team', trackers: [net.trackerUrl] })
    assert.notEqual(forged.channelId, channelId)
    await eve.stop()
    // Point eve straight at alice, as if a tracker had leaked her address: only the PSK stands in the way.
    const alicePort = (await a.call('settings.get', {})).listenPort
    const store = Store.open(path.join(dir, 'bitchat.db'))
    store.upsertPeerAddress({ channelId: forged.channelId, host: '127.0.0.1', port: alicePort, publicKey: null, source: 'tracker', lastSeenAt: Date.now() })
    store.close()
    const eve2 = net.daemon('eve', { dataDir: dir })
    await waitUntil(() => a.stderr.some(l => l.includes('incoming handshake failed')), 10_000, 'alice to refuse eve')
    assert.deepEqual(await eve2.call('peers.list', { channelId: forged.channelId }), [])
    const names = (await a.call('peers.list', { channelId })).map(p => p.name)
    assert.ok(!names.includes('eve'))
    await eve2.stop()
  })

  it('keep history and rejoin after a restart', async () => {
    const before = await c.call('messages.list', { channelId })
    assert.ok(before.length > 0)
    assert.equal(await c.stop(), 0)
    const { messageId } = await a.call('messages.send', { channelId, text: 'sent while carol was away' })
    const c2 = net.daemon('carol', { dataDir: cDir })
    const channels = await c2.call('channels.list', {})
    assert.deepEqual(channels.map(ch => ch.channelId), [channelId])
    await fullMesh([a, b, c2], channelId)
    await waitUntil(async () => (await c2.call('messages.list', { channelId })).some(m => m.messageId === messageId), 10_000, 'carol to catch up')
    const afterRestart = await c2.call('messages.list', { channelId })
    for (const m of before) assert.ok(afterRestart.some(x => x.messageId === m.messageId))
    assert.deepEqual(afterRestart.find(m => m.messageId === messageId)?.authorName, 'alice')
  })
})
