// Bulk throughput: 256 MiB over loopback TCP through our links next to Holepunch's secret-stream
// over the same kind of socket, both ends in one thread and the receiver in a thread of its own,
// with the bare-socket and cipher-alone ceilings. Runs alternate so every figure sees the same
// machine; medians of 3.
import net from 'node:net'
import { randomBytes } from 'node:crypto'
import { Worker } from 'node:worker_threads'
import NoiseSecretStream from '@hyperswarm/secret-stream'
import { Priority } from '../../../core/connection/mux-stream.ts'
import { CipherState, TAG_LENGTH } from '../../../core/session/cipher-state.ts'
import type { Scenario, ScenarioContext } from '../harness/scenario.ts'
import { met } from '../harness/scenario.ts'
import { fmt, median, ratioText, spread } from '../harness/stats.ts'
import { muxLink, muxPair } from '../links/mux-link.ts'
import type { ReceiverData, ReceiverKind } from '../links/receiver-worker.ts'
import { secretStreamPair } from '../links/secret-stream-link.ts'
import { SEND_HIGH_WATER, sessionPair } from '../links/session-link.ts'
import { BULK_CHUNK, pump, pumpStream, rawThroughput, socketPair } from '../links/socket-pair.ts'

const TOTAL = 256 * 1024 * 1024
const RUNS = 3
/** What a file transfer would open: the receive window of the bulk stream. */
export const BULK_WINDOW = 1024 * 1024
/** What may sit unsent in the sending socket before the mux waits. */
export const UNSENT_BUDGET = 64 * 1024

const mibPerSecond = (bytes: number, startedAt: number): number => bytes / 1048576 / ((performance.now() - startedAt) / 1000)

/** MiB/s of sealing and opening `total` bytes in largest frames with the session's cipher, one thread, no socket. */
function aeadAlone (total: number): number {
  const key = randomBytes(32)
  const [sealer, opener] = [new CipherState(key), new CipherState(key)]
  const frame = randomBytes(BULK_CHUNK)
  const sealed = new Uint8Array(BULK_CHUNK + TAG_LENGTH)
  const start = performance.now()
  for (let done = 0; done < total; done += frame.length) {
    sealer.encryptInto(new Uint8Array(0), frame, sealed)
    opener.decryptInPlace(new Uint8Array(0), sealed)
  }
  return mibPerSecond(total, start)
}

/** A bare secure session (no mux), largest frames, both ends in this thread. */
async function sessionThroughput (total: number): Promise<number> {
  const sockets = await socketPair()
  let received = 0
  let resolveDone = (): void => {}
  const done = new Promise<void>(resolve => { resolveDone = resolve })
  const pair = await sessionPair([sockets.a, sockets.b], randomBytes(32), (m) => { received += m.length - 1; if (received >= total) resolveDone() })
  const frame = Buffer.concat([Buffer.from([0x10]), randomBytes(BULK_CHUNK - 1)])
  const start = performance.now()
  await pump(pair.senderStream, total, () => { pair.sender.send(frame); return pair.senderStream.bufferedBytes < SEND_HIGH_WATER })
  await done
  const mibs = mibPerSecond(total, start)
  sockets.close()
  return mibs
}

/** One bulk stream through the mux, both ends in this thread. */
async function muxThroughput (total: number): Promise<number> {
  const sockets = await socketPair()
  const { a, b } = await muxPair([sockets.a, sockets.b], randomBytes(32), UNSENT_BUDGET)
  let received = 0
  let resolveDone = (): void => {}
  const done = new Promise<void>(resolve => { resolveDone = resolve })
  b.on('stream', (stream) => {
    stream.on('message', (m) => { received += m.length; if (received >= total) resolveDone() })
    b.accept(stream, { priority: Priority.BULK, window: BULK_WINDOW })
  })
  const bulk = a.open('bench/bulk/1', new Uint8Array(0), { priority: Priority.BULK })
  await new Promise<void>(resolve => { bulk.once('open', () => { resolve() }) })
  const start = performance.now()
  await pumpStream(bulk, total)
  await done
  const mibs = mibPerSecond(total, start)
  sockets.close()
  return mibs
}

/** Holepunch's secret-stream, 64 KiB writes, both ends in this thread. */
async function secretStreamThroughput (total: number): Promise<number> {
  const { a, b, close } = await secretStreamPair()
  let received = 0
  const done = new Promise<void>(resolve => { b.on('data', (m) => { received += m.length; if (received >= total) resolve() }) })
  const chunk = randomBytes(BULK_CHUNK)
  const start = performance.now()
  await pump(a, total, () => a.write(chunk))
  await done
  const mibs = mibPerSecond(total, start)
  close()
  return mibs
}

/** MiB/s from this thread to a receiver in another thread, over a bare socket, the mux, or secret-stream. */
async function toOtherThread (kind: ReceiverKind, total: number): Promise<number> {
  const psk = randomBytes(32)
  const data: ReceiverData = { kind, total, psk, window: BULK_WINDOW, unsentBudget: UNSENT_BUDGET }
  const worker = new Worker(new URL('../links/receiver-worker.ts', import.meta.url), { workerData: data })
  try {
    const port = await new Promise<number>(resolve => worker.once('message', resolve))
    const done = new Promise(resolve => worker.once('message', resolve))
    const socket = net.connect(port, '127.0.0.1')
    socket.on('error', () => {})
    await new Promise(resolve => socket.once('connect', resolve))
    let start: number
    if (kind === 'raw') {
      const payload = randomBytes(BULK_CHUNK)
      start = performance.now()
      await pump(socket, total, () => socket.write(payload))
    } else if (kind === 'secret-stream') {
      const stream = new NoiseSecretStream(true, socket)
      stream.on('error', () => {})
      await stream.opened
      const payload = randomBytes(BULK_CHUNK)
      start = performance.now()
      await pump(stream, total, () => stream.write(payload))
    } else {
      const link = muxLink(socket, true, psk, UNSENT_BUDGET)
      await link.established
      const bulk = link.mux.open('bench/bulk/1', new Uint8Array(0), { priority: Priority.BULK })
      await new Promise<void>(resolve => { bulk.once('open', () => { resolve() }) })
      start = performance.now()
      await pumpStream(bulk, total)
    }
    await done
    const mibs = mibPerSecond(total, start)
    socket.destroy()
    return mibs
  } finally {
    await worker.terminate()
  }
}

async function run (ctx: ScenarioContext): Promise<void> {
  const runs = { aead: [] as number[], raw: [] as number[], session: [] as number[], mux: [] as number[], secret: [] as number[], rawApart: [] as number[], muxApart: [] as number[], secretApart: [] as number[] }
  for (let i = 0; i < RUNS && !ctx.signal.aborted; i++) {
    runs.aead.push(aeadAlone(TOTAL))
    runs.raw.push(await rawThroughput(TOTAL))
    runs.session.push(await sessionThroughput(TOTAL))
    runs.mux.push(await muxThroughput(TOTAL))
    runs.secret.push(await secretStreamThroughput(TOTAL))
    runs.rawApart.push(await toOtherThread('raw', TOTAL))
    runs.muxApart.push(await toOtherThread('mux', TOTAL))
    runs.secretApart.push(await toOtherThread('secret-stream', TOTAL))
    ctx.note(`run ${i + 1}: mux ${fmt(runs.mux.at(-1)!, 0)} vs secret-stream ${fmt(runs.secret.at(-1)!, 0)} MiB/s; apart ${fmt(runs.muxApart.at(-1)!, 0)} vs ${fmt(runs.secretApart.at(-1)!, 0)}`)
  }
  const m = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)])) as Record<keyof typeof runs, number>
  const mibs = (n: number): string => `${fmt(n, 0)} MiB/s`
  ctx.report({ figure: 'ChaCha20-Poly1305 alone: 256 MiB sealed and opened in 64 KiB frames, one thread, no socket', value: mibs(m.aead), baseline: `raw TCP ${mibs(m.raw)}`, ratio: ratioText(m.aead, m.raw) })
  ctx.report({ figure: 'secure session alone (no mux), 64 KiB frames, both ends in one thread', value: mibs(m.session), baseline: `raw TCP ${mibs(m.raw)}`, ratio: ratioText(m.session, m.raw) })
  ctx.report({
    figure: `bulk throughput: one mux bulk stream vs secret-stream, 256 MiB in 64 KiB writes, both ends in one thread, median of ${RUNS}`,
    value: `${mibs(m.mux)} (${spread(runs.mux)})`,
    baseline: `secret-stream ${mibs(m.secret)} (${spread(runs.secret)}); raw TCP ${mibs(m.raw)}`,
    ratio: ratioText(m.mux, m.secret),
    target: '≥ 1.0×',
    met: met(m.mux >= m.secret)
  })
  ctx.report({
    figure: 'bulk throughput, the same with the receiver in a thread of its own',
    value: `${mibs(m.muxApart)} (${spread(runs.muxApart)})`,
    baseline: `secret-stream ${mibs(m.secretApart)} (${spread(runs.secretApart)}); raw TCP ${mibs(m.rawApart)}`,
    ratio: ratioText(m.muxApart, m.secretApart),
    target: '≥ 1.0×',
    met: met(m.muxApart >= m.secretApart)
  })
}

export const bulk: Scenario = {
  name: 'bulk',
  about: 'bulk throughput: mux and session vs secret-stream over loopback TCP, one thread and two',
  timeoutMs: 240_000,
  run
}
