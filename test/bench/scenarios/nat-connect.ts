// Time to a connection between two members behind NATs (issue 11), in a namespace lab (root only):
// a public host runs a tracker and a public member (who may relay); two hosts, each behind its own
// NAT gateway, join that member's channel. The clock starts once both have joined (their daemons
// already running) and stops once each lists the other in peers.list; the row says over what they
// ended up linked (tcp, udp, relay; punched), whatever that is. Each attempt gets two fresh NAT
// sites, so no mapping is left from the one before. BENCH_NAT_RUNS sets the attempts per pair. DHT
// nodes on the public network tell each member how its NAT maps UDP. Cone × cone waits for the direct
// path; a link that begins relayed is then timed until a punch moves it onto UDP. When the channel gives
// no link at all, the attempt times a private conversation opened from one to the other instead.
import fs from 'node:fs'
import type { Hex, PeerInfo } from '../../../core/api/contract.ts'
import { errorMessage } from '../../../core/error-message.ts'
import { NetLab, netnsUnavailable, type NatKind } from '../../helpers/netns.ts'
import { waitUntil, type DaemonProcess } from '../../helpers/testnet.ts'
import type { Scenario, ScenarioContext } from '../harness/scenario.ts'
import { met } from '../harness/scenario.ts'
import { fmt, median } from '../harness/stats.ts'

const RUNS = Math.max(1, Number(process.env.BENCH_NAT_RUNS ?? 5))
/** A channel not linked by then counts as failed: a link later would miss both targets anyway, and the run stays near two minutes. */
const CHANNEL_TIMEOUT_MS = 10_000
/** For the private conversation's link (and the member's message it waits for first). */
const PRIVATE_TIMEOUT_MS = 15_000
const POLL_MS = 50
/** How long after both joined a relayed link may still be punched onto UDP, for the figure. */
const PUNCH_TIMEOUT_MS = 20_000

interface Pairing {
  label: string
  nats: [NatKind, NatKind]
  targetMs: number
  /** What the issue's target asks for besides time. */
  needs: string
  counts: (transport: string) => boolean
}

/** A UDP connection between two members behind NATs went through both: by a punch, or by their simultaneous dials (PROTOCOL §3.8). */
const throughBoth = (t: string): boolean => t === 'udp' || t === 'udp punched'

const PAIRINGS: Pairing[] = [
  { label: 'cone × cone', nats: ['cone', 'cone'], targetMs: 2_000, needs: 'a direct UDP connection through both NATs', counts: throughBoth },
  { label: 'cone × symmetric', nats: ['cone', 'symmetric'], targetMs: 10_000, needs: 'punched or relayed', counts: t => throughBoth(t) || t === 'relay' }
]

interface Attempt { ms: number | null; transport: string; failure?: string }
interface AttemptPair {
  /** In the shared channel: both joined → each lists the other. */
  channel: Attempt
  /** Both listed the public member in the channel, from the same start. */
  relayMs: number | null
  /** Only when the channel gave no link: a private conversation opened → each lists the other in it. */
  private: Attempt | null
  /** A relayed link that a punch then moved onto UDP: from the same start. */
  punched?: Attempt
}

/** How one end lists the other: the transport, and how it got there. */
function pathOf (peer: PeerInfo): string {
  return [peer.transport, peer.punched === true ? 'punched' : '', peer.viaPortMapping === true ? 'via port mapping' : ''].filter(s => s !== '').join(' ')
}

async function listed (daemon: DaemonProcess, channelId: Hex): Promise<PeerInfo[]> {
  return await daemon.call('peers.list', { channelId }).catch(() => [])
}

async function keyOf (daemon: DaemonProcess): Promise<Hex> {
  return (await daemon.call('identity.get', {})).publicKey
}

/** Polls until each of `ends` lists the other in `channelId`; `seen` is told what each lists meanwhile. */
async function untilLinked (ends: DaemonProcess[], keys: Hex[], channelId: Hex, start: number, timeoutMs: number, signal: AbortSignal, seen: (lists: PeerInfo[][], ms: number) => void = () => {}, done: (paths: string[]) => boolean = () => true): Promise<Attempt> {
  for (;;) {
    const lists = await Promise.all(ends.map(async d => await listed(d, channelId)))
    const ms = performance.now() - start
    seen(lists, ms)
    const other = lists.map((l, i) => l.find(p => p.publicKey === keys[1 - i]))
    if (other[0] !== undefined && other[1] !== undefined && done(other.map(p => pathOf(p!)))) return { ms, transport: [...new Set(other.map(p => pathOf(p!)))].join(' / ') }
    if (ms > timeoutMs || signal.aborted) return { ms: null, transport: 'none', failure: `not linked within ${timeoutMs / 1000} s` }
    await new Promise(resolve => setTimeout(resolve, POLL_MS))
  }
}

/**
 * One attempt: two fresh NATed members join the relay's channel; how long until they list each other
 * there, and over what. When they do not, the time until a private conversation one opens with the
 * other links them (the way a relay is sought for a known key), once each knows the other as a member.
 */
async function attempt (lab: NetLab, relay: DaemonProcess, relayKey: Hex, trackerUrl: string, discovery: string[], pairing: Pairing, n: number, signal: AbortSignal): Promise<AttemptPair> {
  const sites = pairing.nats.map(nat => lab.natSite(nat))
  const ends = sites.map((site, i) => lab.daemon(site.host, `${pairing.nats[i]}${n}-${i}`, { logLevel: 'warn', discovery }))
  let channelId: Hex | null = null
  try {
    const keys = await Promise.all(ends.map(keyOf))
    const created = await relay.call('channels.create', { name: `nat ${pairing.label} ${n}`, trackers: [trackerUrl] })
    channelId = created.channelId
    const start = performance.now()
    await Promise.all(ends.map(async d => await d.call('channels.join', { uri: created.uri })))
    let relayMs: number | null = null
    // Cone × cone waits for the direct path (a relayed link on the way is not it); the rest for any link.
    const wanted = pairing.nats.includes('symmetric') ? () => true : (paths: string[]) => paths.every(throughBoth)
    const channel = await untilLinked(ends, keys, created.channelId, start, CHANNEL_TIMEOUT_MS, signal, (lists, ms) => {
      if (relayMs === null && lists.every(l => l.some(p => p.publicKey === relayKey))) relayMs = ms
    }, wanted)
    if (channel.ms !== null && channel.transport === 'relay') {
      // The relay is the first path; a punch (the birthday approach, for a symmetric NAT) may follow.
      const punched = await untilLinked(ends, keys, created.channelId, start, PUNCH_TIMEOUT_MS, signal, () => {}, paths => paths.every(throughBoth))
      return { channel, relayMs, private: null, punched }
    }
    if (channel.ms !== null) return { channel, relayMs, private: null }
    // The opener must know the other as a member of a channel the relay shares: it has read a message of theirs.
    const [opener, other] = ends as [DaemonProcess, DaemonProcess]
    const { messageId } = await other.call('messages.send', { channelId: created.channelId, text: 'hello' })
    await waitUntil(async () => (await opener.call('messages.list', { channelId: created.channelId })).some(m => m.messageId === messageId), PRIVATE_TIMEOUT_MS, 'a message from the other member')
    const privateStart = performance.now()
    const { channelId: privateId } = await opener.call('conversations.openPrivate', { publicKey: keys[1]! })
    await opener.call('messages.send', { channelId: privateId, text: 'just between us' })
    return { channel, relayMs, private: await untilLinked(ends, keys, privateId, privateStart, PRIVATE_TIMEOUT_MS, signal) }
  } catch (err) {
    return { channel: { ms: null, transport: 'none', failure: errorMessage(err) }, relayMs: null, private: null }
  } finally {
    for (const d of ends) forget(d)
    if (channelId !== null) await relay.call('channels.leave', { channelId }).catch(() => {})
  }
}

/** Stops a daemon at once and removes its data. */
function forget (daemon: DaemonProcess): void {
  daemon.kill()
  fs.rmSync(daemon.dataDir, { recursive: true, force: true, maxRetries: 3 })
}

/** "3/5 linked, median 812 ms, max 1,020 ms; over relay ×3", or why none was. */
function summary (attempts: Attempt[]): string {
  const linked = attempts.filter(a => a.ms !== null)
  if (linked.length === 0) return `0/${attempts.length} linked${attempts[0]?.failure === undefined ? '' : ` (${attempts[0].failure})`}`
  const times = linked.map(a => a.ms!)
  const byTransport = new Map<string, number>()
  for (const a of linked) byTransport.set(a.transport, (byTransport.get(a.transport) ?? 0) + 1)
  return `${linked.length}/${attempts.length} linked, median ${fmt(median(times), 0)} ms, max ${fmt(Math.max(...times), 0)} ms; over ${[...byTransport].map(([t, count]) => `${t} ×${count}`).join(', ')}`
}

async function run (ctx: ScenarioContext): Promise<void> {
  const unavailable = netnsUnavailable()
  if (unavailable !== null) {
    ctx.note(`skipped: ${unavailable}`)
    ctx.report({ figure: 'NAT traversal: time to a connection between two members behind NATs', value: `skipped: ${unavailable}` })
    return
  }
  const lab = NetLab.create()
  ctx.defer(() => { lab.close() })
  const server = lab.publicHost()
  const trackerUrl = await lab.tracker(server)
  // DHT nodes on the public network tell each member where its NAT maps its UDP socket (BEP 42).
  const discovery = ['--no-lan', '--no-port-mapping', '--dht-bootstrap', await lab.dhtNodes(server, 3)]
  const relay = lab.daemon(server, 'relay', { logLevel: 'warn', discovery })
  ctx.defer(() => { forget(relay) })
  const relayKey = await keyOf(relay)
  for (const pairing of PAIRINGS) {
    const attempts: AttemptPair[] = []
    for (let n = 0; n < RUNS && !ctx.signal.aborted; n++) {
      const result = await attempt(lab, relay, relayKey, trackerUrl, discovery, pairing, n, ctx.signal)
      attempts.push(result)
      const told = (a: Attempt): string => a.ms === null ? `none (${a.failure ?? ''})` : `${fmt(a.ms, 0)} ms over ${a.transport}`
      ctx.note(`${pairing.label} #${n + 1}: channel ${told(result.channel)}${result.relayMs === null ? '' : ` (both linked to the public member after ${fmt(result.relayMs, 0)} ms)`}${result.punched === undefined ? '' : `; then ${told(result.punched)}`}${result.private === null ? '' : `; private conversation ${told(result.private)}`}`)
    }
    const channel = attempts.map(a => a.channel)
    const linked = channel.filter(a => a.ms !== null)
    const relayTimes = attempts.flatMap(a => a.relayMs === null ? [] : [a.relayMs])
    ctx.report({
      figure: `NAT traversal, ${pairing.label}, in a shared channel: both joined → each lists the other (peers.list), fresh NATs each attempt`,
      value: summary(channel),
      baseline: relayTimes.length === 0 ? '' : `both linked to the public member: median ${fmt(median(relayTimes), 0)} ms`,
      target: `${pairing.needs}, < ${fmt(pairing.targetMs / 1000, 0)} s`,
      met: met(linked.length === channel.length && median(linked.map(a => a.ms!)) < pairing.targetMs && linked.every(a => pairing.counts(a.transport)))
    })
    const punches = attempts.flatMap(a => a.punched === undefined ? [] : [a.punched])
    if (punches.length > 0) {
      ctx.report({
        figure: `NAT traversal, ${pairing.label}, the links that began relayed: both joined → a direct UDP path replaces the relay (hole punching)`,
        value: summary(punches)
      })
    }
    const privately = attempts.flatMap(a => a.private === null ? [] : [a.private])
    if (privately.length > 0) {
      ctx.report({
        figure: `NAT traversal, ${pairing.label}, the attempts the channel did not link: a private conversation opened → each lists the other in it`,
        value: summary(privately)
      })
    }
  }
}

export const natConnect: Scenario = {
  name: 'nat-connect',
  about: 'two members behind NATs (namespace lab, root only): time to a connection and over what, cone × cone and cone × symmetric',
  timeoutMs: 240_000,
  run
}
