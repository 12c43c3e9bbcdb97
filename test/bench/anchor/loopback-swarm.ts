// Holepunch's stack on loopback, as the anchor of every comparison: a hyperdht testnet and
// hyperswarm peers whose DHT sockets are bound to 127.0.0.1.
//
// Why bound, and not hyperdht's default (all interfaces): a peer bound to 0.0.0.0 tells others its
// local addresses from the machine's non-internal interfaces, here only eth0's 192.0.2.2. Both
// peers look like one host (127.0.0.1) to the DHT, so they would take the LAN shortcut, but the
// server takes it only to private addresses and the client only to non-reserved ones, and
// 192.0.2.0/24 is TEST-NET-1 (reserved, not private): they fall back to hole punching. On a small
// testnet (3 nodes) the server's NAT sampler has too few nodes to ask and leaves its firewall
// unknown, so right after echoing the client's probe from one pooled socket the server's puncher
// rerolls that socket and closes it; the client has already connected its stream there and ends in
// ETIMEDOUT (seen by tracing hyperdht 6.34's holepuncher and socket pool; with 10 testnet nodes the
// punch succeeds). Bound to 127.0.0.1, a peer's only local address is 127.0.0.1 (private, not
// reserved): the LAN shortcut connects directly, as two BitChat nodes on 127.0.0.1 do.
import createTestnet, { type HyperTestnet } from 'hyperdht/testnet.js'
import HyperDHT, { type HostPort } from 'hyperdht'
import Hyperswarm from 'hyperswarm'

export const LOOPBACK = '127.0.0.1'

/** `size` DHT nodes on 127.0.0.1 (the first is everyone's bootstrap). */
export async function startHyperTestnet (size: number): Promise<HyperTestnet> {
  return await createTestnet(size, { host: LOOPBACK })
}

/** A hyperswarm peer whose DHT node lives on loopback and bootstraps from `bootstrap`. */
export function loopbackSwarm (bootstrap: HostPort[]): Hyperswarm {
  return new Hyperswarm({ dht: new HyperDHT({ bootstrap, host: LOOPBACK }) })
}
