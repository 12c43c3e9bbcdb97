// The command line, parsed strictly: anything not understood is a usage error, never a guess.
import { isIP } from 'node:net'
import { parseArgs as parseNodeArgs } from 'node:util'
import { MAX_NAME_LENGTH } from '../api/params.ts'
import type { LogLevel } from '../log.ts'
import { isLogLevel } from '../log.ts'
import { parseBootstrapNode } from '../discovery/bootstrap-node.ts'
import { errorMessage } from '../error-message.ts'
import { parseProxyUrl } from '../transport/proxy-url.ts'

export const USAGE = `Usage:
  bitchat daemon --data-dir DIR [options]   run a BitChat node speaking JSON-RPC on stdin/stdout
  bitchat help                              show this help
  bitchat version                           print the version

Daemon options:
  --data-dir DIR           folder for the node's database (created when missing)
  --port N                 TCP port for peer sessions (default: the stored setting, else any free port)
  --host ADDR              address to listen on for peers (default: all interfaces)
  --name NAME              display name (names a new identity, renames an existing one)
  --passphrase-file FILE   read the identity's passphrase from FILE (its first line)
  --log-level LEVEL        debug, info, warn or error (default: info); logs go to stderr
  --web                    also serve the web UI on 127.0.0.1 and print its address to stderr;
                           its port and token stay the same across runs on one data folder
  --web-port N             port for the web UI (default: the last run's, else any free port);
                           needs --web
  --ask-identity           on first run, create no identity: a client makes or imports one (the
                           web UI's first-run screen, or identity.create / identity.import over
                           JSON-RPC) (default: create one at once)
  --no-dht                 do not use the Mainline DHT
  --dht-bootstrap LIST     DHT bootstrap nodes as host:port,host:port (default: public routers);
                           an empty list starts a DHT that only learns nodes from peers
  --no-lan                 do not use LAN discovery (BEP 14 multicast)
  --lan-interface ADDR     multicast only on the interface with this address (default: every interface)
  --proxy URL              connect to peers and http(s) trackers only through this proxy, which
                           resolves their names: http://HOST:PORT (CONNECT) or
                           socks5://[USER:PASSWORD@]HOST:PORT (Tor: socks5://127.0.0.1:9050); turns
                           the DHT, LAN discovery and udp trackers off while set; kept as the setting
  --no-proxy               clear the proxy setting: connect directly
  --no-port-mapping        do not ask the router to forward the listen port (UPnP-IGD, PCP or
                           NAT-PMP); kept as the setting (on by default; never used while a proxy is set)
  --no-listen              take no incoming connections, as behind a NAT (others reach this node
                           through members that relay)
  --no-relay               do not relay for others (kept for later runs: settings.set relayForOthers)
  --relay-only             hide my IP address: connect directly only to contacts, reach everyone
                           else through members that relay; no trackers, DHT, LAN, incoming
                           connections or port mapping (kept for later runs: settings.set relayOnly)
  --no-relay-only          turn hiding my IP address off again

The daemon reads one JSON-RPC 2.0 message per line on stdin and writes replies and event
notifications, one per line, on stdout. It stops when stdin ends or on SIGINT/SIGTERM.
`

export interface DaemonOptions {
  dataDir: string
  port?: number
  host?: string
  name?: string
  passphraseFile?: string
  logLevel: LogLevel
  web: boolean
  webPort?: number
  dht: boolean
  dhtBootstrap?: string[]
  lan: boolean
  lanInterface?: string
  askIdentity?: boolean
  /** '' clears the setting. */
  proxy?: string
  /** false: --no-port-mapping. */
  portMapping?: boolean
  /** --no-listen */
  acceptIncoming?: false
  /** --no-relay */
  relayForOthers?: false
  /** --relay-only (true) or --no-relay-only (false). */
  relayOnly?: boolean
}

export type Command =
  | { command: 'help' }
  | { command: 'version' }
  | { command: 'daemon'; options: DaemonOptions }

export class UsageError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

const OPTIONS = {
  'data-dir': { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  name: { type: 'string' },
  'passphrase-file': { type: 'string' },
  'log-level': { type: 'string' },
  web: { type: 'boolean' },
  'web-port': { type: 'string' },
  'ask-identity': { type: 'boolean' },
  'no-dht': { type: 'boolean' },
  'dht-bootstrap': { type: 'string' },
  'no-lan': { type: 'boolean' },
  'lan-interface': { type: 'string' },
  proxy: { type: 'string' },
  'no-proxy': { type: 'boolean' },
  'no-port-mapping': { type: 'boolean' },
  'no-listen': { type: 'boolean' },
  'no-relay': { type: 'boolean' },
  'relay-only': { type: 'boolean' },
  'no-relay-only': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' }
} as const

type Parsed = ReturnType<typeof parseStrictly>

function parseStrictly (argv: readonly string[]) {
  try {
    return parseNodeArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, tokens: true, strict: true })
  } catch (err) {
    throw new UsageError(errorMessage(err))
  }
}

export function parseArgs (argv: readonly string[]): Command {
  const { values, positionals, tokens } = parseStrictly(argv)
  if (values.help === true) return { command: 'help' }

  const seen = new Set<string>()
  for (const token of tokens) {
    if (token.kind !== 'option') continue
    if (seen.has(token.name)) throw new UsageError(`--${token.name} is given more than once`)
    seen.add(token.name)
  }
  if (values.version === true) {
    if (tokens.length > 1) throw new UsageError('--version takes no other arguments')
    return { command: 'version' }
  }

  const [command, ...extra] = positionals
  if (command === undefined) throw new UsageError('no command given')
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`)
  switch (command) {
    case 'help':
      return { command: 'help' }
    case 'version':
      if (seen.size > 0) throw new UsageError('version takes no options')
      return { command: 'version' }
    case 'daemon':
      return { command: 'daemon', options: daemonOptions(values) }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`)
  }
}

function daemonOptions (values: Parsed['values']): DaemonOptions {
  const dataDir = values['data-dir']
  if (dataDir === undefined || dataDir === '') throw new UsageError('daemon needs --data-dir DIR')
  const logLevel = values['log-level'] ?? 'info'
  if (!isLogLevel(logLevel)) throw new UsageError('--log-level must be debug, info, warn or error')
  const web = values.web === true
  if (values['web-port'] !== undefined && !web) throw new UsageError('--web-port needs --web')

  const dht = values['no-dht'] !== true
  if (values['dht-bootstrap'] !== undefined && !dht) throw new UsageError('--dht-bootstrap and --no-dht contradict each other')
  const options: DaemonOptions = { dataDir, logLevel, web, dht, lan: values['no-lan'] !== true }
  if (values['ask-identity'] === true) options.askIdentity = true
  if (values['no-listen'] === true) options.acceptIncoming = false
  if (values['no-relay'] === true) options.relayForOthers = false
  if (values['relay-only'] === true && values['no-relay-only'] === true) throw new UsageError('--relay-only and --no-relay-only contradict each other')
  if (values['relay-only'] === true) options.relayOnly = true
  if (values['no-relay-only'] === true) options.relayOnly = false
  if (values['dht-bootstrap'] !== undefined) options.dhtBootstrap = bootstrapList(values['dht-bootstrap'])
  if (values['lan-interface'] !== undefined) {
    if (!options.lan) throw new UsageError('--lan-interface and --no-lan contradict each other')
    if (isIP(values['lan-interface']) === 0) throw new UsageError('--lan-interface must be an IP address')
    options.lanInterface = values['lan-interface']
  }
  if (values.port !== undefined) options.port = portValue('--port', values.port)
  if (values['web-port'] !== undefined) options.webPort = portValue('--web-port', values['web-port'])
  if (values.host !== undefined) options.host = nonBlank('--host', values.host, 255)
  if (values.name !== undefined) options.name = nonBlank('--name', values.name, MAX_NAME_LENGTH)
  if (values.proxy !== undefined && values['no-proxy'] === true) throw new UsageError('--proxy and --no-proxy contradict each other')
  if (values['no-proxy'] === true) options.proxy = ''
  if (values['no-port-mapping'] === true) options.portMapping = false
  if (values.proxy !== undefined) {
    const parsed = parseProxyUrl(values.proxy)
    if (!parsed.ok) throw new UsageError(`--proxy: ${parsed.problem}`)
    options.proxy = values.proxy
  }
  if (values['passphrase-file'] !== undefined) options.passphraseFile = nonBlank('--passphrase-file', values['passphrase-file'], 4096)
  return options
}

function portValue (flag: string, text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`${flag} must be a port number from 0 to 65535`)
  return port
}

function nonBlank (flag: string, text: string, max: number): string {
  if (text.trim() === '' || text.length > max) throw new UsageError(`${flag} must be 1 to ${max} characters`)
  return text
}

/** `host:port,host:port`, checked as the DHT will read them; at most 32 entries. */
function bootstrapList (text: string): string[] {
  const list = text.split(',').map(x => x.trim()).filter(x => x !== '')
  if (list.length > 32) throw new UsageError('--dht-bootstrap takes at most 32 nodes')
  for (const entry of list) {
    try {
      parseBootstrapNode(entry)
    } catch {
      throw new UsageError(`--dht-bootstrap: ${JSON.stringify(entry)} is not host:port`)
    }
  }
  return list
}
