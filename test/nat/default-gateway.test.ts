import assert from 'node:assert/strict'
import { test } from 'node:test'
import { defaultGateway, parseProcNetRoute, parseRouteGet, parseRoutePrint } from '../../core/nat/default-gateway.ts'

const HEADER = 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT'
const route = (iface: string, destination: string, gateway: string, flags: string, metric: number, mask: string): string =>
  [iface, destination, gateway, flags, '0', '0', String(metric), mask, '0', '0', '0'].join('\t')

test('Linux: the default route\'s gateway, from /proc/net/route\'s little-endian hex', () => {
  const table: Array<[string, string, string | null]> = [
    ['a home router', [HEADER, route('eth0', '00000000', '0101A8C0', '0003', 100, '00000000'), route('eth0', '0001A8C0', '00000000', '0001', 100, '00FFFFFF')].join('\n'), '192.168.1.1'],
    ['a lab gateway', [HEADER, route('veth0', '00000000', '0100010A', '0003', 0, '00000000')].join('\n'), '10.1.0.1'],
    ['the lowest metric of two', [HEADER, route('wlan0', '00000000', '0100000A', '0003', 600, '00000000'), route('eth0', '00000000', '01AA10AC', '0003', 100, '00000000')].join('\n'), '172.16.170.1'],
    ['a default route down', [HEADER, route('eth0', '00000000', '0101A8C0', '0002', 100, '00000000')].join('\n'), null],
    ['a default route without a router (a tunnel)', [HEADER, route('wg0', '00000000', '00000000', '0001', 0, '00000000')].join('\n'), null],
    ['only a local network', [HEADER, route('eth0', '0001A8C0', '00000000', '0001', 100, '00FFFFFF')].join('\n'), null],
    ['a gateway field that is not 8 hex digits', [HEADER, route('eth0', '00000000', 'ZZ01A8C0', '0003', 100, '00000000')].join('\n'), null],
    ['a cut line', [HEADER, 'eth0\t00000000\t0101A8C0'].join('\n'), null],
    ['nothing', '', null]
  ]
  for (const [what, text, gateway] of table) assert.equal(parseProcNetRoute(text), gateway, what)
})

test('macOS and the BSDs: the gateway line of `route -n get default`', () => {
  const table: Array<[string, string, string | null]> = [
    ['a router', '   route to: default\ndestination: default\n       mask: default\n    gateway: 192.168.1.1\n  interface: en0\n      flags: <UP,GATEWAY,DONE,STATIC,PRCLONING>\n', '192.168.1.1'],
    ['a link, not a router', '   route to: default\ndestination: default\n    gateway: utun3\n  interface: utun3\n', null],
    ['no default route', 'route: writing to routing socket: not in table\n', null],
    ['an IPv6 gateway', '    gateway: fe80::1%en0\n', null]
  ]
  for (const [what, text, gateway] of table) assert.equal(parseRouteGet(text), gateway, what)
})

test('Windows: the active default route of `route print -4 0.0.0.0`, lowest metric first', () => {
  const rule = '==========================================================================='
  const print = (active: string[], persistent: string[] = ['  None']): string => [
    'IPv4 Route Table', rule, 'Active Routes:', 'Network Destination        Netmask          Gateway       Interface  Metric', ...active, rule,
    'Persistent Routes:', '  Network Address          Netmask  Gateway Address  Metric', ...persistent, ''
  ].join('\r\n')
  const table: Array<[string, string, string | null]> = [
    ['a router', print(['          0.0.0.0          0.0.0.0      192.168.1.1    192.168.1.100     25']), '192.168.1.1'],
    ['two, the lower metric', print(['          0.0.0.0          0.0.0.0      10.0.0.1       10.0.0.50     50', '          0.0.0.0          0.0.0.0      192.168.1.1    192.168.1.100     25']), '192.168.1.1'],
    ['on-link only', print(['          0.0.0.0          0.0.0.0         On-link     10.8.0.2     5']), null],
    ['only a persistent route', print([], ['          0.0.0.0          0.0.0.0      192.168.1.254  Default']), null],
    ['German headings, same numbers', 'Aktive Routen:\r\n     Netzwerkziel    Netzwerkmaske          Gateway    Schnittstelle Metrik\r\n          0.0.0.0          0.0.0.0     192.168.178.1   192.168.178.20     35\r\n', '192.168.178.1'],
    ['nothing', '', null]
  ]
  for (const [what, text, gateway] of table) assert.equal(parseRoutePrint(text), gateway, what)
})

test('an OS without a known way to ask has no gateway, and asking never throws', async () => {
  assert.equal(await defaultGateway('aix'), null)
  const here = await defaultGateway()
  assert.ok(here === null || /^\d+\.\d+\.\d+\.\d+$/.test(here))
})
