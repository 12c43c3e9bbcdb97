// Daemons (each `bitchat daemon` in its own process) sharing one channel through a loopback tracker:
// the BitChat side of the multi-process scenarios.
import type { Hex } from '../../../core/api/contract.ts'
import { errorMessage } from '../../../core/error-message.ts'
import { waitUntil, type DaemonProcess, type Testnet } from '../../helpers/testnet.ts'

export interface ChannelDaemons { daemons: DaemonProcess[]; channelId: Hex; uri: string }

export interface ChannelDaemonsOptions {
  /** How many peers daemon `i` must list before the group counts as formed. */
  peersOf (i: number): number
  timeoutMs: number
  /** Extra environment for daemon `i` (e.g. NODE_OPTIONS for a CPU profile). */
  envOf?: (i: number) => Record<string, string> | undefined
}

/** Starts `count` daemons together; the first creates the channel, the rest join at once; resolves once every one lists its peers. */
export async function startChannelDaemons (net: Testnet, prefix: string, count: number, opts: ChannelDaemonsOptions): Promise<ChannelDaemons> {
  const daemons = Array.from({ length: count }, (_, i) => net.daemon(`${prefix}${i}`, { logLevel: 'warn', env: opts.envOf?.(i) }))
  await Promise.all(daemons.map(d => d.call('identity.status', {})))
  const { uri, channelId } = await daemons[0]!.call('channels.create', { name: prefix, trackers: [net.trackerUrl] })
  await Promise.all(daemons.slice(1).map(d => d.call('channels.join', { uri })))
  let counts: number[] = []
  try {
    await waitUntil(async () => {
      counts = await Promise.all(daemons.map(async d => (await d.call('peers.list', { channelId })).length))
      return counts.every((c, i) => c >= opts.peersOf(i))
    }, opts.timeoutMs, `${count} daemons linked`)
  } catch (err) {
    throw new Error(`${errorMessage(err)} (peers listed: ${counts.join(', ')})`)
  }
  return { daemons, channelId, uri }
}
