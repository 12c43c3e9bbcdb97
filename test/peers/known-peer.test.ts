import { test } from 'node:test'
import assert from 'node:assert/strict'
import { addRoute, MAX_ROUTES_PER_PEER, newKnownPeer, rankRoutes, routeFailed, type KnownRoute } from '../../core/peers/known-peer.ts'
import type { TransportKind } from '../../core/transport/raw-stream.ts'
import type { PeerSource } from '../../core/api/contract.ts'

const NOW = 1_000_000

function route (host: string, o: { kind?: TransportKind; succeededAt?: number; failures?: number; seen?: number; source?: PeerSource } = {}): KnownRoute {
  return { kind: o.kind ?? 'tcp', host, port: 1, sources: new Set([o.source ?? 'tracker']), lastSeenAt: o.seen ?? NOW, succeededAt: o.succeededAt ?? null, failures: o.failures ?? 0 }
}

test('rankRoutes: the better transport, then fewest failures (a claim weighing two), then proven routes (latest first), then latest seen', () => {
  const cases: Array<[string, KnownRoute[], string[]]> = [
    ['a direct route before a relayed one, even one that worked', [route('relay', { kind: 'relay', succeededAt: NOW }), route('direct')], ['direct', 'relay']],
    ['a route through a proxy ranks as a direct one, before a relayed one', [route('relay', { kind: 'relay' }), route('proxy', { kind: 'proxy', failures: 1 }), route('udp', { kind: 'udp' })], ['udp', 'proxy', 'relay']],
    ['a route that reached the peer before one that never did', [route('claimed'), route('proven', { succeededAt: NOW - 60_000 })], ['proven', 'claimed']],
    ['a route that worked but failed since after one not yet tried (the peer may have moved)', [route('stale', { succeededAt: NOW - 60_000, failures: 1 }), route('other')], ['other', 'stale']],
    ['the latest success first', [route('older', { succeededAt: NOW - 10 }), route('newer', { succeededAt: NOW })], ['newer', 'older']],
    ['where the peer said it listens before what another member claims', [route('claim', { source: 'pex' }), route('own', { source: 'incoming', seen: NOW - 1 })], ['own', 'claim']],
    ['a planted claim never passes a route that worked and failed once', [route('claim', { source: 'pex' }), route('proven', { succeededAt: NOW - 60_000, failures: 1 })], ['proven', 'claim']],
    ['a claim is tried once the peer\'s own routes have failed more than twice', [route('own', { source: 'incoming', failures: 3 }), route('claim', { source: 'pex' })], ['claim', 'own']],
    ['fewer failures first', [route('thrice', { failures: 3 }), route('once', { failures: 1 })], ['once', 'thrice']],
    ['most recently seen among equals', [route('old', { seen: NOW - 1 }), route('new')], ['new', 'old']]
  ]
  for (const [name, routes, expected] of cases) assert.deepEqual(rankRoutes(routes).map(r => r.host), expected, name)
})

test('addRoute: a known route is refreshed, not repeated; a proof clears its failures', () => {
  const peer = newKnownPeer('aa', NOW)
  addRoute(peer, { kind: 'tcp', host: '192.0.2.1', port: 7000 }, 'tracker', NOW, false)
  routeFailed(peer, peer.routes[0]!)
  addRoute(peer, { kind: 'tcp', host: '192.0.2.1', port: 7000 }, 'pex', NOW + 5, true)
  assert.equal(peer.routes.length, 1)
  assert.deepEqual([...peer.routes[0]!.sources], ['tracker', 'pex'])
  assert.equal(peer.routes[0]!.failures, 0)
  assert.equal(peer.routes[0]!.succeededAt, NOW + 5)
  assert.equal(peer.lastSeenAt, NOW + 5)
})

test('addRoute: a flood of claimed routes stays bounded and never pushes out a route that works or one the peer gave', () => {
  const peer = newKnownPeer('aa', NOW)
  addRoute(peer, { kind: 'tcp', host: '192.0.2.10', port: 7000 }, 'tracker', NOW - 100_000, true)
  addRoute(peer, { kind: 'tcp', host: '192.0.2.11', port: 7000 }, 'incoming', NOW - 100_000, false)
  for (let i = 0; i < 1_000; i++) addRoute(peer, { kind: 'tcp', host: `198.51.${i >> 8}.${i & 255}`, port: 7000 }, 'pex', NOW + i, false)
  assert.equal(peer.routes.length, MAX_ROUTES_PER_PEER)
  assert.deepEqual(peer.routes.slice(0, 2).map(r => r.host), ['192.0.2.10', '192.0.2.11'])
  // The newest claims are the ones kept beside them.
  assert.equal(peer.routes[2]!.host, '198.51.3.231')
  routeFailed(peer, peer.routes[0]!)
  for (let i = 0; i < 100; i++) addRoute(peer, { kind: 'tcp', host: `203.0.113.${i}`, port: 7000 }, 'pex', NOW + 2_000 + i, false)
  assert.ok(peer.routes.some(r => r.host === '192.0.2.10'), 'a route that worked and failed since is still kept')
})
