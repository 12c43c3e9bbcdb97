import { test } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { randomBytes } from 'node:crypto'
import { FAST_TIMINGS, waitUntil } from '../helpers/testnet.ts'
import { loneSwarm } from '../helpers/lone-swarm.ts'

/** A port that accepts connections and hangs up at once, counting them. */
async function hangUpServer (): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let count = 0
  const server = net.createServer((socket) => { count++; socket.destroy() })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => count,
    close: async () => { await new Promise(resolve => server.close(resolve)) }
  }
}

test('an address evicted to make room for another is never dialled again', async () => {
  const lone = loneSwarm({ psk: randomBytes(32), timings: FAST_TIMINGS, maxRecords: 1 })
  const { swarm } = lone
  const evicted = await hangUpServer()
  const kept = await hangUpServer()
  try {
    swarm.addCandidate('127.0.0.1', evicted.port, 'pex')
    await waitUntil(() => swarm.addresses()[0]?.status === 'backoff', 5_000, 'the first dial to fail')
    swarm.addCandidate('127.0.0.1', kept.port, 'pex')
    assert.deepEqual(swarm.addresses().map(r => r.address), [`127.0.0.1:${kept.port}`])
    // Past the longest first retry delay (1 s + 20%).
    await new Promise(resolve => setTimeout(resolve, 2_000))
    assert.equal(evicted.connections(), 1)
  } finally {
    await lone.close()
    await evicted.close()
    await kept.close()
  }
})
