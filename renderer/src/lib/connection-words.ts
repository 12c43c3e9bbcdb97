// The node's situation on the network in plain words: what kind of router it sits behind, and
// whether its UDP socket runs. Each with the technical name one click away.
import type { NatType, NetworkStatus, PortMappingVia } from '../../../core/api/contract.ts'
import { proxyInUse } from './proxy-form.ts'

export interface SituationWords {
  value: string
  meaning: string
  technical: string
  tone: 'good' | 'warning' | 'neutral'
}

/** Each way of asking the router to forward the port, by its usual name, and in full for the details. */
export const PORT_MAPPING_NAMES: Record<PortMappingVia, { short: string; full: string }> = {
  upnp: { short: 'UPnP', full: 'UPnP-IGD' },
  pcp: { short: 'PCP', full: 'PCP (Port Control Protocol)' },
  natpmp: { short: 'NAT-PMP', full: 'NAT-PMP' }
}

/** Why the UDP socket is off: a proxy, a hidden address, or the node's own reason; null while it runs (or the node does not say). */
export type UdpOff = { because: 'proxy' | 'hidden' } | { because: 'other'; reason: string | null }

export function udpOff (status: NetworkStatus): UdpOff | null {
  if (status.udp === undefined || status.udp.enabled) return null
  if (proxyInUse(status.proxy)) return { because: 'proxy' }
  if (status.relayOnly === true) return { because: 'hidden' }
  const reason = status.udp.reason
  return { because: 'other', reason: reason === undefined || reason === '' ? null : reason }
}

/** "UDP is off …", finishing the sentence with why. */
export function udpOffWords (off: UdpOff): string {
  switch (off.because) {
    case 'proxy': return 'UDP is off while a proxy is in use'
    case 'hidden': return 'UDP is off while your IP address is hidden'
    case 'other': return off.reason === null ? 'UDP is off' : `UDP is off: ${off.reason}`
  }
}

const KNOWN: Record<Exclude<NatType, 'unknown'>, SituationWords> = {
  open: {
    value: 'Open',
    meaning: 'Others can connect to you directly.',
    technical: 'NAT type: open. DHT nodes and peers see the address your computer has itself: no address translation on the way.',
    tone: 'good'
  },
  consistent: {
    value: 'Behind a router, hole punching works',
    meaning: 'Your router allows direct connections once both sides reach out: BitChat opens them by hole punching.',
    technical: 'NAT type: consistent (endpoint-independent mapping, “cone”): one public port for every destination.',
    tone: 'good'
  },
  random: {
    value: 'Behind a strict router',
    meaning: 'Your router gives every connection a new port: direct connections rarely work, so BitChat goes through other members.',
    technical: 'NAT type: random (address- and port-dependent mapping, “symmetric”): a new public port for every destination.',
    tone: 'warning'
  }
}

export function natWords (status: NetworkStatus): SituationWords {
  const nat = status.nat ?? 'unknown'
  if (nat !== 'unknown') return KNOWN[nat]
  const off = udpOff(status)
  // Without the DHT, only peers over UDP report where they see us: it may take long, or never come.
  const dhtOff = status.dht?.enabled === false
  return {
    value: off === null ? (dhtOff ? 'Not known' : 'Not known yet') : 'Not checked',
    meaning: off === null ? (dhtOff ? 'BitChat learns it mostly from the DHT, which is off.' : 'Still finding out…') : `BitChat finds out over UDP. ${udpOffWords(off)}.`,
    technical: off === null
      ? 'NAT type: unknown. Fewer than three DHT nodes or peers have reported the address they see you at.'
      : 'NAT type: unknown. The NAT is learnt from UDP replies, and UDP is off.',
    tone: 'neutral'
  }
}
