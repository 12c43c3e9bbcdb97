import { networkInterfaces } from 'node:os'

/** Every address this host answers on (its interfaces, loopback and the unspecified ones): what is ours when a peer list hands it back. */
export function localAddresses (): Set<string> {
  const hosts = new Set(['127.0.0.1', '::1', '0.0.0.0', '::', 'localhost'])
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) hosts.add(info.address)
  }
  return hosts
}
