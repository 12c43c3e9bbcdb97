// Chat latency through the mux while a 200 MiB bulk stream saturates the same connection, next to the
// same latency idle: the bulk stream at the smallest window worth having (what is in flight is what a
// chat message queues behind in the kernel), at the default, and at the 1 MiB a file transfer opens.
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { DEFAULT_WINDOW } from '../../../core/connection/mux-limits.ts'
import { Priority } from '../../../core/connection/mux-stream.ts'
import type { Scenario, ScenarioContext } from '../harness/scenario.ts'
import { met } from '../harness/scenario.ts'
import { fmt, percentile, ratioText } from '../harness/stats.ts'
import { muxPair } from '../links/mux-link.ts'
import { pumpStream, socketPair } from '../links/socket-pair.ts'
import { BULK_WINDOW, UNSENT_BUDGET } from './bulk.ts'

const SMALL_WINDOW = 64 * 1024
const BULK_BYTES = 200 * 1024 * 1024
const CHAT_PROBE = Uint8Array.from({ length: 100 }, (_, i) => i === 0 ? 0x10 : i)

/**
 * Milliseconds from chat send() to its arrival through the mux, one probe at a time 1 ms apart:
 * 500 of them on an idle connection, or as many as fit while `bulkBytes` flow on a bulk stream of
 * the same connection. Resolves with the sorted latencies and the bulk rate meanwhile.
 */
async function chatLatencies (bulkBytes: number, window: number): Promise<{ latencies: number[]; bulkMiBs: number }> {
  const sockets = await socketPair()
  const { a, b } = await muxPair([sockets.a, sockets.b], randomBytes(32), UNSENT_BUDGET)
  let bulkReceived = 0
  let onChat = (): void => {}
  b.on('stream', (stream) => {
    if (stream.protocol === 'bench/bulk/1') {
      stream.on('message', (m) => { bulkReceived += m.length })
      b.accept(stream, { priority: Priority.BULK, window })
    } else {
      stream.on('message', () => { onChat() })
      b.accept(stream, { priority: Priority.CHAT })
    }
  })
  const chat = a.open('bench/chat/1', new Uint8Array(0), { priority: Priority.CHAT })
  const bulk = a.open('bench/bulk/1', new Uint8Array(0), { priority: Priority.BULK })
  await new Promise<void>(resolve => { bulk.once('open', () => { resolve() }) })
  const start = performance.now()
  const pumping = pumpStream(bulk, bulkBytes)
  const latencies: number[] = []
  while (bulkBytes === 0 ? latencies.length < 500 : bulkReceived < bulkBytes) {
    const arrived = new Promise<void>(resolve => { onChat = resolve })
    const sentAt = performance.now()
    chat.send(CHAT_PROBE)
    await arrived
    latencies.push(performance.now() - sentAt)
    await sleep(1)
  }
  const bulkMiBs = bulkBytes / 1048576 / ((performance.now() - start) / 1000)
  await pumping
  sockets.close()
  return { latencies: latencies.sort((x, y) => x - y), bulkMiBs }
}

async function run (ctx: ScenarioContext): Promise<void> {
  const idle = (await chatLatencies(0, DEFAULT_WINDOW)).latencies
  const [idleP50, idleP99] = [percentile(idle, 0.5), percentile(idle, 0.99)]
  for (const window of [SMALL_WINDOW, DEFAULT_WINDOW, BULK_WINDOW]) {
    if (ctx.signal.aborted) return
    const loaded = await chatLatencies(BULK_BYTES, window)
    const [p50, p99] = [percentile(loaded.latencies, 0.5), percentile(loaded.latencies, 0.99)]
    const label = `chat latency through the mux under 200 MiB of bulk on the same connection, ${window / 1024} KiB bulk window (${fmt(loaded.bulkMiBs, 0)} MiB/s, ${loaded.latencies.length} messages)`
    ctx.report({ figure: `${label}: p50`, value: `${fmt(p50, 2)} ms`, baseline: `idle ${fmt(idleP50, 3)} ms`, ratio: ratioText(p50, idleP50, 1) })
    ctx.report({ figure: `${label}: p99`, value: `${fmt(p99, 2)} ms`, baseline: `idle ${fmt(idleP99, 3)} ms`, ratio: ratioText(p99, idleP99, 1), target: '≤ 10× idle, < 50 ms', met: met(p99 <= 10 * idleP99 && p99 < 50) })
  }
}

export const chatUnderBulk: Scenario = {
  name: 'chat-under-bulk',
  about: 'chat latency through the mux while bulk saturates the same connection, three bulk windows',
  timeoutMs: 180_000,
  run
}
