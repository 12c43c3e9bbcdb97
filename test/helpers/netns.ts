// Test networks made of Linux network namespaces (root only; CI runs as root): a public network
// (addresses in 11.0.0.0/8: public-looking, as a UPnP gateway refuses to map on a documentation or
// private range, yet never reached, as the lab has no way out), hosts on it, and sites each behind
// its own NAT gateway. As on the internet, a router stands between any two gateways: a packet sent
// with a small TTL dies before it reaches the other site (hole punching relies on that).
// A gateway is iptables MASQUERADE, which Linux runs as a port-restricted cone NAT (it keeps the
// source port when it can and lets in only what the mapped destination sends back), or MASQUERADE
// --random-fully, which picks a new port for every destination: a symmetric NAT. Every name carries
// a random prefix, so labs of tests running side by side never meet.
import { execFileSync, spawn } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { once } from 'node:events'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { BITCHAT, DaemonProcess, tempDir } from './testnet.ts'

export type NatKind = 'cone' | 'symmetric'

export interface LabHost {
  readonly ns: string
  /** The host's own address: a public one, or a private one behind its site's gateway. */
  readonly address: string
  /** The command prefix that runs a program on this host (`[...host.exec, 'node', 'x.js']`). */
  readonly exec: readonly string[]
}

export interface NatSite {
  readonly nat: NatKind
  readonly host: LabHost
  /** What the public network sees of the site: the gateway's address (on its own link to the router). */
  readonly publicAddress: string
  /** The gateway's address on the site's side (where a UPnP / NAT-PMP gateway answers). */
  readonly gatewayAddress: string
  /** The gateway's namespace. */
  readonly gateway: string
}

const IP = '/usr/sbin/ip'
const IPTABLES = '/usr/sbin/iptables'
const NFT = '/usr/sbin/nft'
const MINIUPNPD = '/usr/sbin/miniupnpd'
const PUBLIC_PREFIX = '11.0.0'

/** Why this process cannot build a lab with a UPnP gateway (a test skips with it), or null when it can. */
export function upnpLabUnavailable (): string | null {
  for (const tool of [NFT, MINIUPNPD]) if (!fs.existsSync(tool)) return `needs ${tool} (apt-get install nftables miniupnpd miniupnpd-nftables)`
  return netnsUnavailable()
}

/** Why this process cannot build labs (a test skips with it), or null when it can. */
export function netnsUnavailable (): string | null {
  if (process.getuid?.() !== 0) return 'needs root to build network namespaces (CI runs these tests as root)'
  for (const tool of [IP, IPTABLES]) if (!fs.existsSync(tool)) return `needs ${tool} (apt-get install iproute2 iptables)`
  // Root in a container without CAP_NET_ADMIN still cannot make one.
  const probe = `bcprobe-${process.pid}`
  try {
    run(IP, ['netns', 'add', probe])
    run(IP, ['netns', 'del', probe])
  } catch (err) {
    return `cannot make a network namespace here: ${String((err as { stderr?: unknown }).stderr ?? err).trim()}`
  }
  return null
}

function run (command: string, args: string[]): void {
  execFileSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] })
}

export class NetLab {
  readonly #prefix: string
  #internet = ''
  readonly #dirs: string[] = []
  readonly #namespaces: string[] = []
  #hosts = 0
  #sites = 0

  private constructor () {
    // Interface names are at most 15 bytes: prefix (6) + role and number.
    this.#prefix = `bc${randomBytes(2).toString('hex')}`
  }

  static create (): NetLab {
    const reason = netnsUnavailable()
    if (reason !== null) throw new Error(reason)
    const lab = new NetLab()
    try {
      lab.#internet = lab.#namespace('net')
      lab.#in(lab.#internet, IP, 'link', 'add', 'name', 'br0', 'type', 'bridge')
      lab.#in(lab.#internet, IP, 'link', 'set', 'br0', 'up')
      lab.#in(lab.#internet, IP, 'addr', 'add', `${PUBLIC_PREFIX}.1/24`, 'dev', 'br0')
      lab.#in(lab.#internet, 'sysctl', '-qw', 'net.ipv4.ip_forward=1')
    } catch (err) {
      lab.close()
      throw err
    }
    return lab
  }

  /** A host with a public address, reachable from every other host. */
  publicHost (): LabHost {
    const n = ++this.#hosts
    const ns = this.#namespace(`p${n}`)
    const address = `${PUBLIC_PREFIX}.${10 + n}`
    this.#cable(this.#internet, ns, `p${n}`, `${address}/24`)
    this.#in(ns, IP, 'route', 'add', 'default', 'via', `${PUBLIC_PREFIX}.1`)
    return this.#host(ns, address)
  }

  /**
   * A host alone behind a NAT gateway of the given kind, with a private address. With `onlyTo`, the
   * gateway lets out nothing but TCP to that address and port (an office network with a proxy).
   * With `upnp`, the gateway (a cone NAT) runs Debian's miniupnpd: hosts behind it may map ports by
   * UPnP-IGD or NAT-PMP, and mapped ports are let in; with `natpmpOnly` too, it answers NAT-PMP
   * and no UPnP search. With `loss` (0..1), the gateway drops that share of the packets it
   * forwards, each way, at random.
   */
  natSite (nat: NatKind, opts: { onlyTo?: { host: string; port: number }; upnp?: boolean; natpmpOnly?: boolean; loss?: number } = {}): NatSite {
    const n = ++this.#sites
    const gateway = this.#namespace(`g${n}`)
    const ns = this.#namespace(`h${n}`)
    const link = `11.${n}.0`
    const publicAddress = `${link}.2`
    const wan = this.#wire(gateway, this.#internet, `g${n}`, `${publicAddress}/24`, `${link}.1/24`)
    this.#in(gateway, IP, 'route', 'add', 'default', 'via', `${link}.1`)
    const lan = this.#wire(gateway, ns, `l${n}`, `10.${n}.0.1/24`, `10.${n}.0.2/24`)
    this.#in(ns, IP, 'route', 'add', 'default', 'via', `10.${n}.0.1`)
    this.#in(gateway, 'sysctl', '-qw', 'net.ipv4.ip_forward=1')
    const site = { nat, host: this.#host(ns, `10.${n}.0.2`), publicAddress, gatewayAddress: `10.${n}.0.1`, gateway }
    if (opts.loss !== undefined) {
      this.#in(gateway, IPTABLES, '-I', 'FORWARD', '-m', 'statistic', '--mode', 'random', '--probability', String(opts.loss), '-j', 'DROP')
    }
    if (opts.upnp === true) {
      this.#upnpGateway(gateway, wan, lan, publicAddress, opts.natpmpOnly === true)
      return site
    }
    this.#in(gateway, IPTABLES, '-t', 'nat', '-A', 'POSTROUTING', '-o', wan, '-j', 'MASQUERADE', ...(nat === 'symmetric' ? ['--random-fully'] : []))
    // Only answers come in: nothing from outside reaches the site unless the site spoke first. Nor the
    // gateway itself, as a home router's firewall drops what nobody asked for (and a NAT then has no
    // trace of it when its own host later sends that way).
    this.#in(gateway, IPTABLES, '-A', 'FORWARD', '-i', wan, '-o', lan, '-m', 'conntrack', '!', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'DROP')
    this.#in(gateway, IPTABLES, '-A', 'INPUT', '-i', wan, '-m', 'conntrack', '!', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'DROP')
    if (opts.onlyTo !== undefined) {
      this.#in(gateway, IPTABLES, '-A', 'FORWARD', '-i', lan, '-o', wan, '-p', 'tcp', '-d', opts.onlyTo.host, '--dport', String(opts.onlyTo.port), '-j', 'ACCEPT')
      this.#in(gateway, IPTABLES, '-A', 'FORWARD', '-i', lan, '-o', wan, '-j', 'DROP')
    }
    return site
  }

  /** Drops UDP between two sites on the public network (a path that does not work yet), until the returned function is called. */
  cutUdp (a: NatSite, b: NatSite): () => void {
    const rule = (op: string, from: string, to: string): void => { this.#in(this.#internet, IPTABLES, op, 'FORWARD', '-p', 'udp', '-s', from, '-d', to, '-j', 'DROP') }
    rule('-I', a.publicAddress, b.publicAddress)
    rule('-I', b.publicAddress, a.publicAddress)
    return () => {
      rule('-D', a.publicAddress, b.publicAddress)
      rule('-D', b.publicAddress, a.publicAddress)
    }
  }

  /**
   * Packets the site's host sent that its gateway dropped: with `onlyTo`, anything that tried to leave
   * another way than to the proxy (a leak, had the gateway let it through).
   */
  droppedOutbound (site: NatSite): number {
    const table = execFileSync(IP, ['netns', 'exec', site.gateway, IPTABLES, '-L', 'FORWARD', '-v', '-x', '-n'], { encoding: 'utf8' })
    let dropped = 0
    for (const line of table.split('\n')) {
      // pkts bytes target prot opt in out source destination
      const [pkts, , target, , , inbound] = line.trim().split(/\s+/)
      if (target === 'DROP' && inbound?.startsWith(`${this.#prefix}l`) === true) dropped += Number(pkts)
    }
    return dropped
  }

  /** The port mappings a UPnP gateway holds now, as nft lists its rules (`tcp dport 4000 dnat …`). */
  mappings (site: NatSite): string {
    return execFileSync(IP, ['netns', 'exec', site.gateway, NFT, 'list', 'chain', 'inet', 'filter', 'prerouting_miniupnpd'], { encoding: 'utf8' })
  }

  /**
   * nftables as miniupnpd's nft backend expects them (its chains in table inet filter), a cone NAT
   * that lets in only answers and mapped ports, and miniupnpd itself, run until the lab closes.
   */
  #upnpGateway (gateway: string, wan: string, lan: string, publicAddress: string, natpmpOnly: boolean): void {
    const rules = `table inet filter {
  chain forward { type filter hook forward priority 0; policy drop; ct state established,related accept; iifname "${lan}" accept; jump miniupnpd; }
  chain miniupnpd { }
  chain prerouting { type nat hook prerouting priority -100; policy accept; jump prerouting_miniupnpd; }
  chain postrouting { type nat hook postrouting priority 100; policy accept; jump postrouting_miniupnpd; oifname "${wan}" masquerade; }
  chain prerouting_miniupnpd { }
  chain postrouting_miniupnpd { }
}
`
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitchat-upnp-'))
    this.#dirs.push(dir)
    fs.writeFileSync(path.join(dir, 'rules.nft'), rules)
    fs.writeFileSync(path.join(dir, 'miniupnpd.conf'), [
      `ext_ifname=${wan}`, `ext_ip=${publicAddress}`, `listening_ip=${lan}`, 'http_port=5000',
      'enable_natpmp=yes', `enable_upnp=${natpmpOnly ? 'no' : 'yes'}`, 'secure_mode=no', 'system_uptime=yes',
      `uuid=${randomUUID()}`, `lease_file=${path.join(dir, 'leases')}`,
      'allow 1024-65535 10.0.0.0/8 1024-65535', 'deny 0-65535 0.0.0.0/0 0-65535', ''
    ].join('\n'))
    this.#in(gateway, NFT, '-f', path.join(dir, 'rules.nft'))
    // Its own pid file: the default one is shared by every lab, and one killed leaves it behind.
    const daemon = spawn(IP, ['netns', 'exec', gateway, MINIUPNPD, '-d', '-f', path.join(dir, 'miniupnpd.conf'), '-P', path.join(dir, 'miniupnpd.pid')], { stdio: 'ignore' })
    daemon.unref()
  }

  /** A tracker on `host`: its HTTP announce URL. It runs until the lab closes. */
  async tracker (host: LabHost): Promise<string> {
    const tracker = spawn(host.exec[0]!, [...host.exec.slice(1), process.execPath, path.join(import.meta.dirname, 'tracker-main.ts'), host.address], { stdio: ['pipe', 'pipe', 'inherit'] })
    const [url] = await once(createInterface({ input: tracker.stdout }), 'line') as [string]
    return url
  }

  /** DHT nodes on `host` that know each other: a --dht-bootstrap list. They run until the lab closes. */
  async dhtNodes (host: LabHost, count = 3): Promise<string> {
    const nodes = spawn(host.exec[0]!, [...host.exec.slice(1), process.execPath, path.join(import.meta.dirname, 'dht-main.ts'), host.address, String(count)], { stdio: ['pipe', 'pipe', 'inherit'] })
    const [list] = await once(createInterface({ input: nodes.stdout }), 'line') as [string]
    return list
  }

  /**
   * A daemon on `host`, listening on its address. Discovery is tracker-only, without port mapping,
   * unless `discovery` gives the flags to use instead. It runs until stopped or the lab closes.
   */
  daemon (host: LabHost, name: string, opts: { args?: string[]; discovery?: string[]; logLevel?: string } = {}): DaemonProcess {
    return new DaemonProcess({
      dataDir: tempDir(),
      name,
      logLevel: opts.logLevel,
      cli: [...host.exec, BITCHAT],
      args: ['--host', host.address, ...(opts.discovery ?? ['--no-dht', '--no-lan', '--no-port-mapping']), ...(opts.args ?? [])]
    })
  }

  /** Ends every program still running in the lab and removes it. */
  close (): void {
    for (const ns of this.#namespaces.reverse()) {
      try {
        const pids = execFileSync(IP, ['netns', 'pids', ns], { encoding: 'utf8' }).split('\n').filter(p => p !== '')
        for (const pid of pids) { try { process.kill(Number(pid), 'SIGKILL') } catch {} }
        run(IP, ['netns', 'del', ns])
      } catch {}
    }
    this.#namespaces.length = 0
    for (const dir of this.#dirs) fs.rmSync(dir, { recursive: true, force: true })
    this.#dirs.length = 0
  }

  #namespace (role: string): string {
    const ns = `${this.#prefix}-${role}`
    run(IP, ['netns', 'add', ns])
    this.#namespaces.push(ns)
    this.#in(ns, IP, 'link', 'set', 'lo', 'up')
    return ns
  }

  #host (ns: string, address: string): LabHost {
    return { ns, address, exec: [IP, 'netns', 'exec', ns] }
  }

  /** A veth from `ns` to the internet's bridge; returns the interface name inside `ns`. */
  #cable (internet: string, ns: string, role: string, cidr: string): string {
    const outer = `${this.#prefix}${role}o`
    const inner = `${this.#prefix}${role}i`
    run(IP, ['link', 'add', outer, 'type', 'veth', 'peer', 'name', inner])
    run(IP, ['link', 'set', outer, 'netns', internet])
    run(IP, ['link', 'set', inner, 'netns', ns])
    this.#in(internet, IP, 'link', 'set', outer, 'master', 'br0', 'up')
    this.#in(ns, IP, 'addr', 'add', cidr, 'dev', inner)
    this.#in(ns, IP, 'link', 'set', inner, 'up')
    return inner
  }

  /** A veth between two namespaces, addressed at both ends; returns the interface name inside `a`. */
  #wire (a: string, b: string, role: string, cidrA: string, cidrB: string): string {
    const ifA = `${this.#prefix}${role}a`
    const ifB = `${this.#prefix}${role}b`
    run(IP, ['link', 'add', ifA, 'type', 'veth', 'peer', 'name', ifB])
    run(IP, ['link', 'set', ifA, 'netns', a])
    run(IP, ['link', 'set', ifB, 'netns', b])
    this.#in(a, IP, 'addr', 'add', cidrA, 'dev', ifA)
    this.#in(b, IP, 'addr', 'add', cidrB, 'dev', ifB)
    this.#in(a, IP, 'link', 'set', ifA, 'up')
    this.#in(b, IP, 'link', 'set', ifB, 'up')
    return ifA
  }

  #in (ns: string, command: string, ...args: string[]): void {
    run(IP, ['netns', 'exec', ns, command, ...args])
  }
}
