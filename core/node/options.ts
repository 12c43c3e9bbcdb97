import type { Logger } from '../log.ts'

export interface NodeOptions {
  /** Folder holding the SQLite database; created when missing. */
  dataDir: string
  /** TCP listen port; 0 picks a free one. Defaults to the stored setting, else 0. */
  port?: number
  /** Listen address; defaults to all interfaces. */
  host?: string
  /** Display name; with `createIdentity` it names a first-run identity, otherwise it renames an existing one. */
  name?: string
  /** Create an identity on first run (the daemon does; the desktop app asks the user instead). */
  createIdentity?: boolean
  /** Unlocks a passphrase-protected identity at start. */
  passphrase?: string
  /** Mainline DHT on the listen port's UDP socket; false turns it off. Bootstrap defaults to the public routers. */
  dht?: { bootstrap?: string[] } | false
  /** LAN discovery (BEP 14 multicast); on unless false. Tests can move it off the standard group. */
  lan?: boolean | { multicastPort?: number; interfaceAddress?: string }
  /** Sets the proxy setting at start (a URL as `settings.set` takes it; '' clears it). */
  proxy?: string
  /** Sets the port-mapping setting at start (UPnP-IGD, else PCP, else NAT-PMP). */
  portMapping?: boolean
  /**
   * Whether peers may connect to us (default true). False refuses every incoming connection and
   * tells peers we listen nowhere, as a node behind a NAT is: others reach us through relays.
   */
  acceptIncoming?: boolean
  /** Sets "Allow relaying for others" (kept for later runs); the stored setting otherwise, on by default. */
  relayForOthers?: boolean
  /** Sets 'Hide my IP address' (kept for later runs): only contacts are dialled directly, everyone else through relays, nothing announces our address. */
  relayOnly?: boolean
  log?: Logger
}
