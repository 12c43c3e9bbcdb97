// `npm run bench`: prints BitChat's speed figures next to a baseline measured in the same run.
// Figures are printed, never asserted: a loaded machine must not turn them into red tests.
import net from 'node:net'
import { performance } from 'node:perf_hooks'
import { createTestnet, waitUntil, type Testnet } from '../helpers/testnet.ts'
import { SecureConnection } from '../../core/session/secure-connection.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { randomBytes } from 'node:crypto'
import type { BitChatNode } from '../../core/node/node.ts'
import type { NodeOptions } from '../../core/node/options.ts'
import { startLoopbackDht } from '../helpers/loopback-dht.ts'
import { tempDir } from '../helpers/testnet.ts'
import { Store } from '../../core/store/store.ts'
import { createGroupMessage, decodeGroupMessage, verifyGroupMessage } from '../../core/wire/group-message.ts'
import { fromHex } from '../../core/codec/hex.ts'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { MAX_MESSAGE_BYTES } from '../../core/connection/mux-messages.ts'
import { Priority, type Stream } from '../../core/connection/mux-stream.ts'
import { DEFAULT_WINDOW } from '../../core/connection/mux-limits.ts'
import { CipherState } from '../../core/session/cipher-state.ts'
import { Worker } from 'node:worker_threads'
import { muxLink, muxPair } from './mux-link.ts'
import type { ReceiverData } from './receiver-worker.ts'

const benchAuthor = generateIdentity()

interface Row { figure: string; value: string; baseline: string; ratio: string; target: string }
const rows: Row[] = []
const fmt = (n: number, digits = 1): string => n.toFixed(digits)
const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN

type NodeDiscovery = Pick<NodeOptions, 'dht' | 'lan'>

/** Median time from `channels.join` to the first connected peer, over 5 fresh pairs of nodes. */
async function firstPeer (net: Testnet, label: string, target: string, discovery: NodeDiscovery, trackers: string[]): Promise<void> {
  const samples: number[] = []
  for (let i = 0; i < 5; i++) {
    const a = await net.node(`a${i}`, discovery)
    const b = await net.node(`b${i}`, discovery)
    const { uri, channelId } = await a.api['channels.create']({ name: `bench ${i}`, trackers })
    let connectedAt = 0
    b.onEvent((event) => { if (event === 'peer.connected' && connectedAt === 0) connectedAt = performance.now() })
    const start = performance.now()
    await b.api['channels.join']({ uri })
    await waitUntil(() => connectedAt > 0, 10_000, 'first peer')
    samples.push(connectedAt - start)
    await b.api['channels.leave']({ channelId })
    await a.api['channels.leave']({ channelId })
  }
  samples.sort((x, y) => x - y)
  const median = percentile(samples, 0.5)
  rows.push({ figure: `join → first peer (${label}), median of 5`, value: `${fmt(median)} ms`, baseline: '', ratio: '', target })
}

async function meshLatency (net: Testnet): Promise<void> {
  const nodes: BitChatNode[] = []
  for (let i = 0; i < 10; i++) nodes.push(await net.node(`m${i}`))
  const first = nodes[0]
  if (first === undefined) return
  const { uri, channelId } = await first.api['channels.create']({ name: 'latency', trackers: [net.trackerUrl] })
  for (const n of nodes.slice(1)) await n.api['channels.join']({ uri })
  await waitUntil(async () => {
    const counts = await Promise.all(nodes.map(async n => (await n.api['peers.list']({ channelId })).length))
    return counts.every(c => c === 9)
  }, 30_000, 'a 10-node full mesh')
  const sentAt = new Map<string, number>()
  const latencies: number[] = []
  for (const n of nodes) {
    n.onEvent((event, payload) => {
      if (event !== 'message.received') return
      const t = sentAt.get((payload as { text: string }).text)
      if (t !== undefined) latencies.push(performance.now() - t)
    })
  }
  const count = 200
  for (let i = 0; i < count; i++) {
    const sender = nodes[i % nodes.length]
    if (sender === undefined) continue
    const text = `latency probe ${i}`
    sentAt.set(text, performance.now())
    await sender.api['messages.send']({ channelId, text })
    await waitUntil(() => latencies.length >= (i + 1) * 9, 5_000, 'delivery')
  }
  latencies.sort((x, y) => x - y)
  const raw = await rawOneWayLatencies(count)
  const p50 = percentile(latencies, 0.5)
  const p99 = percentile(latencies, 0.99)
  const rawP50 = percentile(raw, 0.5)
  const rawP99 = percentile(raw, 0.99)
  rows.push({ figure: `message latency, 10-node mesh, ${count} messages × 9 receivers: p50`, value: `${fmt(p50, 2)} ms`, baseline: `raw TCP ${fmt(rawP50, 3)} ms`, ratio: fmt(p50 / rawP50, 0), target: '' })
  rows.push({ figure: 'message latency, 10-node mesh: p99', value: `${fmt(p99, 2)} ms`, baseline: `raw TCP ${fmt(rawP99, 3)} ms`, ratio: fmt(p99 / rawP99, 0), target: '< 20 ms' })
}

/** Half the round trip of a small message over a bare loopback TCP socket: the floor under any message latency. */
async function rawOneWayLatencies (count: number): Promise<number[]> {
  const [a, b, close] = await socketPair()
  a.setNoDelay(true)
  b.setNoDelay(true)
  b.on('data', (d: Buffer) => { b.write(d) })
  const samples: number[] = []
  for (let i = 0; i < count; i++) {
    const start = performance.now()
    const echoed = new Promise(resolve => a.once('data', resolve))
    a.write('latency probe')
    await echoed
    samples.push((performance.now() - start) / 2)
  }
  close()
  return samples.sort((x, y) => x - y)
}

async function socketPair (): Promise<[net.Socket, net.Socket, () => void]> {
  const server = net.createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  const accepted = new Promise<net.Socket>(resolve => server.once('connection', resolve))
  const client = net.connect(port, '127.0.0.1')
  await new Promise(resolve => client.once('connect', resolve))
  const serverSide = await accepted
  // A pair torn down with bytes still unread ends in a reset: expected, not a failure of the run.
  for (const socket of [client, serverSide]) socket.on('error', () => {})
  return [client, serverSide, () => { client.destroy(); serverSide.destroy(); server.close() }]
}

/** Pumps `total` bytes in `chunk`-sized writes through `write`, respecting back-pressure. */
async function pump (socket: net.Socket, total: number, write: () => boolean): Promise<void> {
  let sent = 0
  const chunk = 65_519
  while (sent < total) {
    sent += chunk
    if (!write()) await new Promise(resolve => socket.once('drain', resolve))
  }
}

/** As TcpStream does: the pieces of one frame leave in one writev. */
function writeFrame (socket: net.Socket, chunks: Uint8Array[]): void {
  socket.cork()
  for (const chunk of chunks) socket.write(chunk)
  socket.uncork()
}

/**
 * A member who missed `count` messages joins: time until it holds them all, next to the time the same
 * messages take to verify and store with no network at all (the floor under any catch-up).
 */
async function catchUp (net: Testnet, count: number): Promise<void> {
  const holder = await net.node('holder')
  const { uri, channelId } = await holder.api['channels.create']({ name: 'catch-up', trackers: [net.trackerUrl] })
  for (let i = 0; i < count; i++) await holder.api['messages.send']({ channelId, text: `history ${i} `.padEnd(80, '.') })
  const newcomer = await net.node('newcomer')
  const start = performance.now()
  await newcomer.api['channels.join']({ uri })
  await waitUntil(async () => (await newcomer.api['channels.list']({}))[0]?.unread === count, 600_000, `${count} messages at the newcomer`)
  const caughtUp = performance.now() - start

  const raws: Uint8Array[] = []
  let before: string | undefined
  while (raws.length < count) {
    const page = await holder.api['messages.list']({ channelId, limit: 5000, ...(before === undefined ? {} : { before }) })
    if (page.length === 0) break
    before = page[0]!.messageId
    for (const m of page) raws.push(createGroupMessage({ channelId: fromHex(channelId), author: benchAuthor, seq: raws.length + 1, timestamp: m.timestamp, text: m.text }).raw)
  }
  const store = Store.open(path.join(tempDir(), 'floor.db'))
  store.addChannel({ channelId, name: 'floor', chatFile: new Uint8Array([1]), joinedAt: 0 })
  const floorStart = performance.now()
  for (let i = 0; i < raws.length; i += 128) {
    const batch = raws.slice(i, i + 128).map(raw => decodeGroupMessage(raw)).filter(m => verifyGroupMessage(m, fromHex(channelId)))
    store.insertMessages(channelId, batch.map(m => ({ messageId: m.id, channelId, author: m.author, seq: m.seq, timestamp: m.timestamp, receivedAt: 0, kind: m.kind, body: m.text, raw: m.raw })))
  }
  const floor = performance.now() - floorStart
  store.close()
  rows.push({ figure: `catch-up: join → all of ${count.toLocaleString('en')} missed messages stored`, value: `${fmt(caughtUp / 1000, 2)} s`, baseline: `verify + store alone ${fmt(floor / 1000, 2)} s`, ratio: fmt(caughtUp / floor, 1), target: '' })
}

/** MiB/s of `total` bytes in 64 KiB writes over a bare loopback TCP socket: the ceiling of any stream. */
async function rawThroughput (total: number): Promise<number> {
  const payload = randomBytes(65_519)
  const [rawA, rawB, closeRaw] = await socketPair()
  let rawReceived = 0
  const rawDone = new Promise<void>(resolve => rawB.on('data', (d: Buffer) => { rawReceived += d.length; if (rawReceived >= total) resolve() }))
  const rawStart = performance.now()
  await pump(rawA, total, () => rawA.write(payload))
  await rawDone
  const rawMiBs = total / 1048576 / ((performance.now() - rawStart) / 1000)
  closeRaw()
  return rawMiBs
}

async function throughput (): Promise<void> {
  const total = 256 * 1024 * 1024
  const payload = randomBytes(65_519)
  const rawMiBs = await rawThroughput(total)

  const [encA, encB, closeEnc] = await socketPair()
  const psk = randomBytes(32)
  let received = 0
  let resolveDone = (): void => {}
  const done = new Promise<void>(resolve => { resolveDone = resolve })
  let established = 0
  let resolveReady = (): void => {}
  const ready = new Promise<void>(resolve => { resolveReady = resolve })
  const onEstablished = (): void => { if (++established === 2) resolveReady() }
  const sender = new SecureConnection({ initiator: true, identity: generateIdentity(), psks: [psk], onSend: (chunks) => { writeFrame(encA, chunks) }, onEstablished, onMessage: () => {} })
  const receiver = new SecureConnection({
    initiator: false,
    identity: generateIdentity(),
    psks: [psk],
    onSend: (chunks) => { writeFrame(encB, chunks) },
    onEstablished,
    onMessage: (m) => { received += m.length - 1; if (received >= total) resolveDone() }
  })
  encA.on('data', (d: Buffer) => { sender.receive(d) })
  encB.on('data', (d: Buffer) => { receiver.receive(d) })
  sender.start()
  await ready
  const frame = Buffer.concat([Buffer.from([0x10]), payload.subarray(0, 65_518)])
  const encStart = performance.now()
  await pump(encA, total, () => { sender.send(frame); return !encA.writableNeedDrain })
  await done
  const encMiBs = total / 1048576 / ((performance.now() - encStart) / 1000)
  closeEnc()
  rows.push({ figure: 'session throughput, 256 MiB over loopback TCP', value: `${fmt(encMiBs, 0)} MiB/s`, baseline: `raw TCP ${fmt(rawMiBs, 0)} MiB/s`, ratio: fmt(encMiBs / rawMiBs, 2), target: 'ratio ≥ 0.25' })
}

// The knobs of a bulk stream: its receive window bounds the bulk bytes anywhere between the two apps,
// and so what a chat message can queue behind in the kernel's buffers; the unsent budget is what may
// sit in the sending socket's own buffer. Throughput is measured with a 1 MiB window (what a file
// transfer would open: ~35% faster than the default across threads here); chat latency under bulk
// with a small window, the default and that one, since the window is exactly the trade between the two.
const BULK_WINDOW = 1024 * 1024
const SMALL_WINDOW = 64 * 1024
const UNSENT_BUDGET = 64 * 1024
const CHAT_PROBE = Uint8Array.from({ length: 100 }, (_, i) => i === 0 ? 0x10 : i)

/** Sends `total` bytes on one bulk stream from a to b; resolves with MiB/s once b has them all. */
async function bulkThroughMux (total: number): Promise<number> {
  const sockets = await socketPair()
  const { a, b } = await muxPair([sockets[0], sockets[1]], randomBytes(32), UNSENT_BUDGET)
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
  const mibs = total / 1048576 / ((performance.now() - start) / 1000)
  sockets[2]()
  return mibs
}

/** Writes `total` bytes as largest messages, waiting for 'drain' whenever the stream says so. */
async function pumpStream (stream: Stream, total: number): Promise<void> {
  const message = randomBytes(MAX_MESSAGE_BYTES)
  for (let sent = 0; sent < total && stream.status === 'open'; sent += message.length) {
    if (!stream.send(message)) await new Promise<void>(resolve => { stream.once('drain', () => { resolve() }) })
  }
}

/**
 * MiB/s of `total` bytes sent from this thread to a receiver in another thread (its own event loop
 * and heap, as a second node has): over a bare socket, or one bulk stream through the mux.
 */
async function toOtherThread (kind: ReceiverData['kind'], total: number): Promise<number> {
  const psk = randomBytes(32)
  const data: ReceiverData = { kind, total, psk, window: BULK_WINDOW, unsentBudget: UNSENT_BUDGET }
  const worker = new Worker(new URL('./receiver-worker.ts', import.meta.url), { workerData: data })
  const port = await new Promise<number>(resolve => worker.once('message', resolve))
  const done = new Promise(resolve => worker.once('message', resolve))
  const socket = net.connect(port, '127.0.0.1')
  socket.on('error', () => {})
  await new Promise(resolve => socket.once('connect', resolve))
  let start: number
  if (kind === 'raw') {
    const payload = randomBytes(65_519)
    start = performance.now()
    await pump(socket, total, () => socket.write(payload))
  } else {
    const link = muxLink(socket, true, psk, UNSENT_BUDGET)
    await link.established
    const bulk = link.mux.open('bench/bulk/1', new Uint8Array(0), { priority: Priority.BULK })
    await new Promise<void>(resolve => { bulk.once('open', () => { resolve() }) })
    start = performance.now()
    await pumpStream(bulk, total)
  }
  await done
  const mibs = total / 1048576 / ((performance.now() - start) / 1000)
  socket.destroy()
  await worker.terminate()
  return mibs
}

/**
 * MiB/s of sealing and opening `total` bytes in largest transport frames with the session's own
 * cipher, one thread, no socket: the ceiling of an encrypted stream whose two ends share one thread.
 */
function aeadAlone (total: number): number {
  const key = randomBytes(32)
  const [sealer, opener] = [new CipherState(key), new CipherState(key)]
  const frame = randomBytes(65_519)
  const start = performance.now()
  for (let done = 0; done < total; done += frame.length) {
    const [body, tag] = sealer.encryptParts(new Uint8Array(0), frame)
    opener.decryptWithAd(new Uint8Array(0), Buffer.concat([body, tag]))
  }
  return total / 1048576 / ((performance.now() - start) / 1000)
}

/**
 * Encrypted bulk throughput through the mux next to raw TCP, alternating so both see the same machine
 * (medians of 3): both ends in this thread, as the session figure above, and the receiver in a thread
 * of its own, so that encryption and decryption run side by side as on two nodes.
 */
async function muxThroughput (): Promise<void> {
  const total = 256 * 1024 * 1024
  const median = (xs: number[]): number => percentile(xs.sort((x, y) => x - y), 0.5)
  const runs = { raw: [] as number[], mux: [] as number[], rawApart: [] as number[], muxApart: [] as number[], aead: [] as number[] }
  for (let i = 0; i < 3; i++) {
    runs.aead.push(aeadAlone(total))
    runs.raw.push(await rawThroughput(total))
    runs.mux.push(await bulkThroughMux(total))
    runs.rawApart.push(await toOtherThread('raw', total))
    runs.muxApart.push(await toOtherThread('mux', total))
  }
  const [raw, mux, rawApart, muxApart, aead] = [median(runs.raw), median(runs.mux), median(runs.rawApart), median(runs.muxApart), median(runs.aead)]
  rows.push({ figure: 'ChaCha20-Poly1305 alone: 256 MiB sealed and opened in 64 KiB frames, one thread, no socket, median of 3', value: `${fmt(aead, 0)} MiB/s`, baseline: `raw TCP ${fmt(raw, 0)} MiB/s`, ratio: fmt(aead / raw, 2), target: '' })
  rows.push({ figure: 'mux throughput: one bulk stream over a secure session, 256 MiB over loopback TCP, one thread, median of 3', value: `${fmt(mux, 0)} MiB/s`, baseline: `raw TCP ${fmt(raw, 0)} MiB/s`, ratio: fmt(mux / raw, 2), target: 'ratio ≥ 0.5' })
  rows.push({ figure: 'mux throughput, the same with the receiver in a thread of its own', value: `${fmt(muxApart, 0)} MiB/s`, baseline: `raw TCP ${fmt(rawApart, 0)} MiB/s`, ratio: fmt(muxApart / rawApart, 2), target: 'ratio ≥ 0.5' })
}

/** Messages per second of `count` small messages, one transport frame each through a bare session, or through the mux. */
async function smallMessages (count: number, size: number): Promise<{ session: number; mux: number }> {
  const message = Uint8Array.from({ length: size }, (_, i) => i === 0 ? 0x10 : i)

  const [sessionA, sessionB, closeSession] = await socketPair()
  const psk = randomBytes(32)
  let received = 0
  let resolveDone = (): void => {}
  let done = new Promise<void>(resolve => { resolveDone = resolve })
  let established = 0
  let resolveReady = (): void => {}
  const ready = new Promise<void>(resolve => { resolveReady = resolve })
  const onEstablished = (): void => { if (++established === 2) resolveReady() }
  const sender = new SecureConnection({ initiator: true, identity: generateIdentity(), psks: [psk], onSend: (chunks) => { writeFrame(sessionA, chunks) }, onEstablished, onMessage: () => {} })
  const receiver = new SecureConnection({ initiator: false, identity: generateIdentity(), psks: [psk], onSend: (chunks) => { writeFrame(sessionB, chunks) }, onEstablished, onMessage: () => { if (++received === count) resolveDone() } })
  sessionA.on('data', (d: Buffer) => { sender.receive(d) })
  sessionB.on('data', (d: Buffer) => { receiver.receive(d) })
  sender.start()
  await ready
  let start = performance.now()
  for (let i = 0; i < count; i++) {
    sender.send(message)
    if (sessionA.writableNeedDrain) await new Promise(resolve => sessionA.once('drain', resolve))
  }
  await done
  const session = count / ((performance.now() - start) / 1000)
  closeSession()

  const sockets = await socketPair()
  const { a, b } = await muxPair([sockets[0], sockets[1]], randomBytes(32), UNSENT_BUDGET)
  received = 0
  done = new Promise<void>(resolve => { resolveDone = resolve })
  b.on('stream', (stream) => {
    stream.on('message', () => { if (++received === count) resolveDone() })
    b.accept(stream, { priority: Priority.CHAT })
  })
  const chat = a.open('bench/chat/1', new Uint8Array(0), { priority: Priority.CHAT })
  await new Promise<void>(resolve => { chat.once('open', () => { resolve() }) })
  start = performance.now()
  for (let i = 0; i < count; i++) {
    if (!chat.send(message)) await new Promise<void>(resolve => { chat.once('drain', () => { resolve() }) })
  }
  await done
  const mux = count / ((performance.now() - start) / 1000)
  sockets[2]()
  return { session, mux }
}

/** Small messages: the mux packs those made together into shared transport frames (one AEAD and one write for many). */
async function muxSmallMessages (): Promise<void> {
  const { session, mux } = await smallMessages(200_000, 200)
  rows.push({ figure: '200-byte messages through the mux, 200,000 over loopback TCP', value: `${fmt(mux / 1000, 0)} k/s`, baseline: `session, a frame each ${fmt(session / 1000, 0)} k/s`, ratio: fmt(mux / session, 1), target: '' })
}

/**
 * Milliseconds from chat send() to its arrival through the mux, one probe at a time 1 ms apart:
 * 500 of them on an idle connection, or as many as fit while `bulkBytes` flow on a bulk stream of
 * the same connection. Resolves with the sorted latencies and the bulk rate meanwhile.
 */
async function chatLatencies (bulkBytes: number, window: number): Promise<{ latencies: number[]; bulkMiBs: number }> {
  const sockets = await socketPair()
  const { a, b } = await muxPair([sockets[0], sockets[1]], randomBytes(32), UNSENT_BUDGET)
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
  sockets[2]()
  return { latencies: latencies.sort((x, y) => x - y), bulkMiBs }
}

/**
 * Chat latency through the mux while a 200 MiB bulk stream saturates the same connection, next to the
 * same latency idle: with the bulk stream at the smallest window worth having (what is in flight is
 * what a chat message queues behind in the kernel), at the default, and at the 1 MiB of the
 * throughput figures.
 */
async function muxChatLatency (): Promise<void> {
  const idle = (await chatLatencies(0, DEFAULT_WINDOW)).latencies
  const [idleP50, idleP99] = [percentile(idle, 0.5), percentile(idle, 0.99)]
  for (const window of [SMALL_WINDOW, DEFAULT_WINDOW, BULK_WINDOW]) {
    const loaded = await chatLatencies(200 * 1024 * 1024, window)
    const [p50, p99] = [percentile(loaded.latencies, 0.5), percentile(loaded.latencies, 0.99)]
    const label = `chat latency through the mux under 200 MiB of bulk on the same connection, ${window / 1024} KiB bulk window (${fmt(loaded.bulkMiBs, 0)} MiB/s, ${loaded.latencies.length} messages)`
    rows.push({ figure: `${label}: p50`, value: `${fmt(p50, 2)} ms`, baseline: `idle ${fmt(idleP50, 3)} ms`, ratio: fmt(p50 / idleP50, 1), target: '' })
    rows.push({ figure: `${label}: p99`, value: `${fmt(p99, 2)} ms`, baseline: `idle ${fmt(idleP99, 3)} ms`, ratio: fmt(p99 / idleP99, 1), target: 'ratio ≤ 10, < 50 ms' })
  }
}

/**
 * A node sharing 10 channels with the same 5 peers: how many connections it holds (one per peer is
 * the aim, not one per channel and peer), and the CPU all six nodes use while idle, next to the same
 * six nodes with no channel at all.
 */
async function sharedChannels (net: Testnet): Promise<void> {
  const nodes: BitChatNode[] = []
  for (let i = 0; i < 6; i++) nodes.push(await net.node(`shared${i}`))
  const idleCpu = async (): Promise<number> => {
    const before = process.cpuUsage()
    await new Promise(resolve => setTimeout(resolve, 10_000))
    const used = process.cpuUsage(before)
    return (used.user + used.system) / 1000 / 10
  }
  // Starting nodes is busy for a while too: both figures are taken once things have settled.
  await new Promise(resolve => setTimeout(resolve, 10_000))
  const bare = await idleCpu()
  const [hub, ...others] = nodes as [BitChatNode, ...BitChatNode[]]
  const channels: string[] = []
  for (let i = 0; i < 10; i++) {
    const { uri, channelId } = await hub.api['channels.create']({ name: `shared ${i}`, trackers: [net.trackerUrl] })
    for (const n of others) await n.api['channels.join']({ uri })
    channels.push(channelId)
  }
  await waitUntil(async () => (await Promise.all(channels.map(async channelId => (await hub.api['peers.list']({ channelId })).length))).every(c => c === 5), 60_000, '5 peers in every channel')
  const connections = (await hub.api['network.status']({})).connections ?? 0
  // The first seconds after linking are the first exchanges and peer lists: idle is what follows.
  await new Promise(resolve => setTimeout(resolve, 10_000))
  const busy = await idleCpu()
  rows.push({ figure: 'connections of a node sharing 10 channels with the same 5 peers', value: String(connections), baseline: 'one per channel and peer: 50', ratio: fmt(connections / 50, 2), target: '5' })
  rows.push({ figure: 'idle CPU of those 6 nodes (one process), ms per second, once settled', value: fmt(busy, 1), baseline: `6 nodes, no channel: ${fmt(bare, 1)}`, ratio: fmt(busy / Math.max(bare, 0.1), 1), target: '' })
}

const net1 = await createTestnet({ trackerInterval: 60_000 })
try {
  await firstPeer(net1, 'loopback tracker', '< 1000 ms', {}, [net1.trackerUrl])
  const dht = await startLoopbackDht(20, { distinctHosts: true })
  try {
    await firstPeer(net1, '20-node loopback DHT only', '< 2000 ms', { dht: { bootstrap: [dht.bootstrap] } }, [])
  } finally {
    await dht.close()
  }
  await firstPeer(net1, 'LAN discovery only', '< 2000 ms', { lan: { interfaceAddress: '127.0.0.1' } }, [])
  await meshLatency(net1)
  await catchUp(net1, 10_000)
  await sharedChannels(net1)
} finally {
  await net1.close()
}
await throughput()
await muxThroughput()
await muxSmallMessages()
await muxChatLatency()

const widths = (['figure', 'value', 'baseline', 'ratio', 'target'] as const).map(k => Math.max(k.length, ...rows.map(r => r[k].length)))
const line = (r: Row): string => (['figure', 'value', 'baseline', 'ratio', 'target'] as const).map((k, i) => r[k].padEnd(widths[i] ?? 0)).join(' | ')
console.log(line({ figure: 'figure', value: 'value', baseline: 'baseline', ratio: 'ratio', target: 'target' }))
console.log(widths.map(w => '-'.repeat(w)).join('-|-'))
for (const r of rows) console.log(line(r))
