// UDP-stream throughput (issue 11): core's whole Connection (Noise + mux, as the pool holds it) over a
// UDX stream that core's UdpEndpoint set up, next to the same over loopback TCP, in the same run;
// with Holepunch's secret-stream over a UDX stream (what hyperswarm runs), and the bare UDX stream
// and bare TCP socket under them. Both ends in one thread, then the
// receiver in a thread of its own (as the other node would be). Runs alternate; medians of 3.
//
// 64 MiB a run: under the Connection's per-peer read rate's burst (BYTE_RATE, 128 MiB), so the
// figures are the links' own, not that policy's.
import { randomBytes } from 'node:crypto'
import { Worker } from 'node:worker_threads'
import { Connection } from '../../../core/connection/connection.ts'
import { CloseCode } from '../../../core/connection/close-codes.ts'
import { Priority } from '../../../core/connection/mux-stream.ts'
import { generateIdentity } from '../../../core/identity/identity.ts'
import { silentLogger } from '../../../core/log.ts'
import type { RawStream } from '../../../core/transport/raw-stream.ts'
import { tcpTransport } from '../../../core/transport/tcp.ts'
import { UdpEndpoint } from '../../../core/transport/udp-endpoint.ts'
import type { Scenario, ScenarioContext } from '../harness/scenario.ts'
import { met } from '../harness/scenario.ts'
import { fmt, median, ratioText, spread } from '../harness/stats.ts'
import { connectionThroughput, mibPerSecond, rawThroughputOf, type LinkKind } from '../links/connection-pair.ts'
import type { ConnectionReceiverData } from '../links/connection-receiver-worker.ts'
import { udxSecretStreamPair } from '../links/secret-stream-link.ts'
import { BULK_CHUNK, pump, pumpStream } from '../links/socket-pair.ts'

const TOTAL = 64 * 1024 * 1024
const RUNS = 3
const TARGET = 0.5

/** Dials the worker's listener over `kind`; the UDP side needs an endpoint of its own, closed by `close`. */
async function dialWorker (kind: LinkKind, port: number): Promise<{ stream: RawStream; close: () => Promise<void> }> {
  const route = { kind, host: '127.0.0.1', port }
  if (kind === 'tcp') {
    const stream = await tcpTransport.dial(route, { timeoutMs: 5_000 })
    return { stream, close: async () => { stream.destroy() } }
  }
  const endpoint = UdpEndpoint.bind(0, '127.0.0.1', { onStream: (s) => { s.destroy() }, log: silentLogger })
  const stream = await endpoint.transport.dial(route, { timeoutMs: 5_000 })
  return { stream, close: async () => { stream.destroy(); await endpoint.close() } }
}

/** MiB/s from this thread to a receiver in another, over `kind`, bare or through a whole Connection. */
async function toOtherThread (kind: LinkKind, encrypted: boolean, total: number): Promise<number> {
  const psk = randomBytes(32)
  const data: ConnectionReceiverData = { kind, encrypted, total, psk }
  const worker = new Worker(new URL('../links/connection-receiver-worker.ts', import.meta.url), { workerData: data })
  try {
    const port = await new Promise<number>(resolve => worker.once('message', resolve))
    const done = new Promise(resolve => worker.once('message', resolve))
    const { stream, close } = await dialWorker(kind, port)
    let connection: Connection | null = null
    try {
      let start: number
      if (!encrypted) {
        const payload = randomBytes(BULK_CHUNK)
        start = performance.now()
        await pump(stream, total, () => stream.write([payload]))
      } else {
        const c = new Connection({ stream, initiator: true, identity: generateIdentity(), psks: [psk], log: silentLogger })
        connection = c
        await new Promise<void>((resolve, reject) => {
          c.once('established', () => { resolve() })
          c.once('close', (info) => { reject(new Error(`handshake failed: ${info.text}`)) })
        })
        const bulk = c.open('bench/bulk/1', new Uint8Array(0), { priority: Priority.BULK })
        await new Promise<void>(resolve => { bulk.once('open', () => { resolve() }) })
        start = performance.now()
        await pumpStream(bulk, total)
      }
      await done
      return mibPerSecond(total, start)
    } finally {
      connection?.close(CloseCode.NORMAL)
      await close()
    }
  } finally {
    await worker.terminate()
  }
}

/** Holepunch's secret-stream over a UDX stream, 64 KiB writes, both ends in this thread. */
async function secretStreamOverUdx (total: number): Promise<number> {
  const { a, b, close } = await udxSecretStreamPair()
  try {
    let received = 0
    const done = new Promise<void>(resolve => { b.on('data', (m) => { received += m.length; if (received >= total) resolve() }) })
    const chunk = randomBytes(BULK_CHUNK)
    const start = performance.now()
    await pump(a, total, () => a.write(chunk))
    await done
    return mibPerSecond(total, start)
  } finally {
    close()
  }
}

async function run (ctx: ScenarioContext): Promise<void> {
  const keys = ['tcpRaw', 'udpRaw', 'tcp', 'udp', 'secretUdp', 'tcpRawApart', 'udpRawApart', 'tcpApart', 'udpApart'] as const
  const runs = Object.fromEntries(keys.map(k => [k, [] as number[]])) as Record<typeof keys[number], number[]>
  for (let i = 0; i < RUNS && !ctx.signal.aborted; i++) {
    runs.tcpRaw.push(await rawThroughputOf('tcp', TOTAL))
    runs.udpRaw.push(await rawThroughputOf('udp', TOTAL))
    runs.tcp.push(await connectionThroughput('tcp', TOTAL))
    runs.udp.push(await connectionThroughput('udp', TOTAL))
    runs.secretUdp.push(await secretStreamOverUdx(TOTAL))
    runs.tcpRawApart.push(await toOtherThread('tcp', false, TOTAL))
    runs.udpRawApart.push(await toOtherThread('udp', false, TOTAL))
    runs.tcpApart.push(await toOtherThread('tcp', true, TOTAL))
    runs.udpApart.push(await toOtherThread('udp', true, TOTAL))
    ctx.note(`run ${i + 1}: connection over UDP ${fmt(runs.udp.at(-1)!, 0)} vs TCP ${fmt(runs.tcp.at(-1)!, 0)} MiB/s; apart ${fmt(runs.udpApart.at(-1)!, 0)} vs ${fmt(runs.tcpApart.at(-1)!, 0)}`)
  }
  const m = Object.fromEntries(keys.map(k => [k, median(runs[k])])) as Record<typeof keys[number], number>
  const mibs = (n: number): string => `${fmt(n, 0)} MiB/s`
  const withSpread = (k: typeof keys[number]): string => `${mibs(m[k])} (${spread(runs[k])})`
  ctx.report({
    figure: `UDP stream: a whole Connection (Noise + mux) over UDX vs over TCP, 64 MiB on one bulk stream, both ends in one thread, median of ${RUNS}`,
    value: withSpread('udp'),
    baseline: `TCP ${withSpread('tcp')}`,
    ratio: ratioText(m.udp, m.tcp),
    target: `≥ ${TARGET}×`,
    met: met(m.udp >= TARGET * m.tcp)
  })
  ctx.report({
    figure: 'UDP stream: the same with the receiver in a thread of its own',
    value: withSpread('udpApart'),
    baseline: `TCP ${withSpread('tcpApart')}`,
    ratio: ratioText(m.udpApart, m.tcpApart),
    target: `≥ ${TARGET}×`,
    met: met(m.udpApart >= TARGET * m.tcpApart)
  })
  ctx.report({ figure: 'the same Connection over UDX vs Holepunch\'s secret-stream over a UDX stream (as hyperswarm runs), one thread', value: withSpread('udp'), baseline: `secret-stream over UDX ${withSpread('secretUdp')}`, ratio: ratioText(m.udp, m.secretUdp) })
  ctx.report({ figure: 'bare UDX stream (udx-native, no encryption) vs bare TCP socket, 64 KiB writes, one thread', value: withSpread('udpRaw'), baseline: `raw TCP ${withSpread('tcpRaw')}`, ratio: ratioText(m.udpRaw, m.tcpRaw) })
  ctx.report({ figure: 'bare UDX stream vs bare TCP socket, receiver in a thread of its own', value: withSpread('udpRawApart'), baseline: `raw TCP ${withSpread('tcpRawApart')}`, ratio: ratioText(m.udpRawApart, m.tcpRawApart) })
}

export const udpStream: Scenario = {
  name: 'udp-stream',
  about: 'UDP streams: a whole Connection over UDX vs over TCP on loopback, and the bare transports (one thread and two)',
  timeoutMs: 240_000,
  run
}
