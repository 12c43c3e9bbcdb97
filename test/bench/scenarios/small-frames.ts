// Small-frame throughput: 200-byte messages over loopback TCP through our links next to Holepunch's
// secret-stream (one write per message) over the same kind of socket pair. Runs alternate; medians of 3.
import { randomBytes } from 'node:crypto'
import { Connection } from '../../../core/connection/connection.ts'
import { Priority } from '../../../core/connection/mux-stream.ts'
import { generateIdentity } from '../../../core/identity/identity.ts'
import { silentLogger } from '../../../core/log.ts'
import { TcpStream } from '../../../core/transport/tcp.ts'
import type { Scenario, ScenarioContext } from '../harness/scenario.ts'
import { met } from '../harness/scenario.ts'
import { fmt, median, ratioText, spread } from '../harness/stats.ts'
import { muxPair } from '../links/mux-link.ts'
import { secretStreamPair, writeAll } from '../links/secret-stream-link.ts'
import { sendFrames, sessionPair } from '../links/session-link.ts'
import { socketPair } from '../links/socket-pair.ts'
import type { Mux } from '../../../core/connection/mux.ts'
import type { Stream } from '../../../core/connection/mux-stream.ts'

const SIZE = 200
const COUNT = 100_000
const RUNS = 3
const UNSENT_BUDGET = 64 * 1024
/** A transport plaintext type no one uses: the receiving session hands it up untouched. */
const message = Uint8Array.from({ length: SIZE }, (_, i) => i === 0 ? 0x10 : i)

const perSecond = (count: number, startedAt: number): number => count / ((performance.now() - startedAt) / 1000)

/** Resolves once `count` calls of the returned function were made. */
function counter (count: number): { tick: () => void; done: Promise<void> } {
  let seen = 0
  let resolve = (): void => {}
  const done = new Promise<void>(r => { resolve = r })
  return { tick: () => { if (++seen === count) resolve() }, done }
}

/** Messages/s, one transport frame each through a bare secure session over core's TcpStream. */
async function sessionFrames (count: number): Promise<number> {
  const sockets = await socketPair()
  const arrived = counter(count)
  const pair = await sessionPair([sockets.a, sockets.b], randomBytes(32), arrived.tick)
  const start = performance.now()
  await sendFrames(pair, message, count)
  await arrived.done
  const rate = perSecond(count, start)
  sockets.close()
  return rate
}

/** Sends `count` messages on a chat stream, waiting whenever it says so; resolves once all arrived. */
async function throughStream (chat: Stream, count: number, done: Promise<void>): Promise<number> {
  await new Promise<void>(resolve => { chat.once('open', () => { resolve() }) })
  const start = performance.now()
  for (let i = 0; i < count; i++) {
    if (!chat.send(message)) await new Promise<void>(resolve => { chat.once('drain', () => { resolve() }) })
  }
  await done
  return perSecond(count, start)
}

function acceptChat (b: Pick<Mux, 'on' | 'accept'>, tick: () => void): void {
  b.on('stream', (stream) => {
    stream.on('message', tick)
    b.accept(stream, { priority: Priority.CHAT })
  })
}

/** Messages/s on one chat stream through the bench link (mux over a secure session over TcpStream, no read rates). */
async function muxMessages (count: number): Promise<number> {
  const sockets = await socketPair()
  const { a, b } = await muxPair([sockets.a, sockets.b], randomBytes(32), UNSENT_BUDGET)
  const arrived = counter(count)
  acceptChat(b, arrived.tick)
  const rate = await throughStream(a.open('bench/chat/1', new Uint8Array(0), { priority: Priority.CHAT }), count, arrived.done)
  sockets.close()
  return rate
}

/** Messages/s on one chat stream through core's own Connection: with its per-peer read rates. */
async function connectionMessages (count: number): Promise<number> {
  const sockets = await socketPair()
  const psk = randomBytes(32)
  const a = new Connection({ stream: new TcpStream(sockets.a), initiator: true, identity: generateIdentity(), psks: [psk], log: silentLogger })
  const b = new Connection({ stream: new TcpStream(sockets.b), initiator: false, identity: generateIdentity(), psks: [psk], log: silentLogger })
  await Promise.all([new Promise(resolve => a.once('established', resolve)), new Promise(resolve => b.once('established', resolve))])
  const arrived = counter(count)
  b.on('stream', (stream) => {
    stream.on('message', arrived.tick)
    b.accept(stream, { priority: Priority.CHAT })
  })
  const rate = await throughStream(a.open('bench/chat/1', new Uint8Array(0), { priority: Priority.CHAT }), count, arrived.done)
  sockets.close()
  return rate
}

/** Messages/s through Holepunch's secret-stream, one write each. */
async function secretStreamMessages (count: number): Promise<number> {
  const { a, b, close } = await secretStreamPair()
  const arrived = counter(count)
  b.on('data', arrived.tick)
  const start = performance.now()
  await writeAll(a, message, count)
  await arrived.done
  const rate = perSecond(count, start)
  close()
  return rate
}

async function run (ctx: ScenarioContext): Promise<void> {
  const runs = { session: [] as number[], mux: [] as number[], secret: [] as number[] }
  for (let i = 0; i < RUNS && !ctx.signal.aborted; i++) {
    runs.secret.push(await secretStreamMessages(COUNT))
    runs.session.push(await sessionFrames(COUNT))
    runs.mux.push(await muxMessages(COUNT))
    ctx.note(`run ${i + 1}: secret-stream ${fmt(runs.secret.at(-1)! / 1000, 0)} k/s, session ${fmt(runs.session.at(-1)! / 1000, 0)} k/s, mux ${fmt(runs.mux.at(-1)! / 1000, 0)} k/s`)
  }
  // Bounded by policy at FRAME_RATE: once is enough to show where it sits.
  const connection = await connectionMessages(COUNT / 2)
  const [session, mux, secret] = [median(runs.session), median(runs.mux), median(runs.secret)]
  const ks = (n: number): string => `${fmt(n / 1000, 0)} k/s`
  const anchor = `secret-stream ${ks(secret)} (${spread(runs.secret.map(r => r / 1000))} k)`
  ctx.report({
    figure: `small frames: ${COUNT.toLocaleString('en')} × ${SIZE} B, one transport frame each (secure session over TcpStream), median of ${RUNS}`,
    value: `${ks(session)} (${spread(runs.session.map(r => r / 1000))} k)`,
    baseline: anchor,
    ratio: ratioText(session, secret),
    target: '≥ 0.8×',
    met: met(session >= 0.8 * secret)
  })
  ctx.report({
    figure: `small frames: the same ${SIZE} B messages on one chat stream through the mux (packed into shared frames)`,
    value: `${ks(mux)} (${spread(runs.mux.map(r => r / 1000))} k)`,
    baseline: anchor,
    ratio: ratioText(mux, secret),
    target: '≥ 0.8×',
    met: met(mux >= 0.8 * secret)
  })
  ctx.report({
    figure: `small frames: ${(COUNT / 2).toLocaleString('en')} through core's Connection, whose read rate bounds a peer at 10,000 frames/s (policy)`,
    value: ks(connection),
    baseline: anchor,
    ratio: ratioText(connection, secret)
  })
}

export const smallFrames: Scenario = {
  name: 'small-frames',
  about: '200-byte messages/s: session frame each, mux, Connection vs secret-stream over loopback TCP',
  timeoutMs: 180_000,
  run
}
