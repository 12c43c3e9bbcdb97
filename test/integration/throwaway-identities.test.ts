// Anyone holding an open channel's file can invent identities by the thousand. Those that never
// write anything must leave nothing behind: no member rows, no memory that keeps growing.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { createTestnet, tempDir, waitUntil } from '../helpers/testnet.ts'
import { HandDrivenPeer } from '../helpers/hand-driven-peer.ts'
import { MIB, retainedHeap } from '../helpers/proc.ts'
import { Store } from '../../core/store/store.ts'
import { encodeRanges } from '../../core/wire/messages.ts'
import { emptySummary, fingerprintOf } from '../../core/history/fingerprint.ts'
import { channelPsk } from '../helpers/channel-psk.ts'

/** Joins as a new identity, says HELLO, waits until the node has taken it in (it answers RANGES only after HELLO), and leaves. */
async function passThrough (port: number, psk: Uint8Array, n: number): Promise<void> {
  const peer = new HandDrivenPeer(port, psk, undefined, `127.0.${1 + (n % 250)}.${1 + (Math.floor(n / 250) % 250)}`)
  try {
    await peer.established
    peer.hello({ name: `throwaway ${n}`, tcpPort: 0, observedAddress: '127.0.0.1:1' })
    peer.send(encodeRanges({ ranges: [{ upper: null, mode: { kind: 'fingerprint', count: 0, fingerprint: fingerprintOf(emptySummary()) } }] }))
    await waitUntil(() => peer.received.some(m => m.type === 'ranges' || m.type === 'history'), 10_000, `identity ${n} to be taken in`)
  } finally {
    peer.destroy()
  }
}

async function passMany (port: number, psk: Uint8Array, from: number, count: number): Promise<void> {
  const parallel = 25
  for (let i = from; i < from + count; i += parallel) {
    await Promise.all(Array.from({ length: Math.min(parallel, from + count - i) }, (_, k) => passThrough(port, psk, i + k)))
  }
}

test('3,000 throwaway identities leave no member rows, and the memory they used is released', async () => {
  const net = await createTestnet()
  try {
    const dataDir = tempDir()
    const target = await net.node('target', { dataDir })
    const { channelId, uri } = await target.api['channels.create']({ name: 'open door', trackers: [] })
    await target.api['messages.send']({ channelId, text: 'history for everyone' })
    const psk = channelPsk(uri)
    const gone = async (): Promise<boolean> => (await target.api['peers.list']({ channelId })).length === 0

    await passMany(target.listenPort, psk, 0, 300)
    await waitUntil(gone, 10_000, 'the warm-up identities to be gone')
    const baseline = retainedHeap()

    await passMany(target.listenPort, psk, 300, 3_000)
    await waitUntil(gone, 10_000, 'every identity to be gone')
    const after = retainedHeap()

    const store = Store.open(path.join(dataDir, 'bitchat.db'))
    try {
      assert.deepEqual(store.listMembers(channelId), [], 'member rows left by identities that never wrote anything')
    } finally {
      store.close()
    }
    assert.ok(after - baseline < 8 * MIB, `the heap kept ${((after - baseline) / MIB).toFixed(1)} MiB more after 3,000 identities came and went`)
  } finally {
    await net.close()
  }
})
