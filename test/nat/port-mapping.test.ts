import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { silentLogger } from '../../core/log.ts'
import { natPmpAttempt, pcpAttempt } from '../../core/nat/gateway-mapping.ts'
import { PortMapper, type MappedPort, type MappingAttempt } from '../../core/nat/port-mapping.ts'
import { ManualClock } from '../helpers/manual-clock.ts'
import { encodeMapResponse, encodeResponse, FakeGateway } from '../helpers/port-control-gateway.ts'
import { waitUntil } from '../helpers/wait.ts'

const noUpnp: MappingAttempt = async () => 'no router on this network answered a UPnP search'

function fakeUpnp (stopped: number[]): MappingAttempt {
  return async port => ({ via: 'upnp', gateway: '192.168.1.1', externalHost: '203.0.113.5', externalPort: port, protocols: ['tcp', 'udp'], stop: async () => { stopped.push(port) } })
}

async function natPmpGateway (t: TestContext): Promise<{ gateway: FakeGateway; clock: ManualClock; attempt: MappingAttempt; pcp: MappingAttempt }> {
  const gateway = await FakeGateway.start()
  t.after(() => { gateway.close() })
  const clock = new ManualClock()
  const at = { log: silentLogger, gateway: async () => '127.0.0.1', port: gateway.port, clock }
  return { gateway, clock, attempt: natPmpAttempt(at), pcp: pcpAttempt(at) }
}

test('a UPnP router is used first, and NAT-PMP is not asked', async () => {
  let asked = false
  const mapper = new PortMapper({ log: silentLogger, attempts: [fakeUpnp([]), async () => { asked = true; return 'unused' }] })
  await mapper.map(4000)
  assert.deepEqual(mapper.state, { state: 'mapped', via: 'upnp', gateway: '192.168.1.1', internalPort: 4000, externalHost: '203.0.113.5', externalPort: 4000, protocols: ['tcp', 'udp'] })
  assert.equal(asked, false)
  await mapper.stop()
})

test('without a UPnP router, TCP and UDP are mapped by NAT-PMP, and removed on stop', async t => {
  const { gateway, attempt } = await natPmpGateway(t)
  const mapper = new PortMapper({ log: silentLogger, attempts: [noUpnp, attempt] })
  await mapper.map(4000)
  assert.deepEqual(mapper.state, { state: 'mapped', via: 'natpmp', gateway: '127.0.0.1', internalPort: 4000, externalHost: '11.0.0.101', externalPort: 4000, protocols: ['tcp', 'udp'] })
  assert.deepEqual([...gateway.mappings.keys()].sort(), ['tcp:4000', 'udp:4000'])
  await mapper.stop()
  assert.deepEqual(mapper.state, { state: 'off' })
  assert.equal(gateway.mappings.size, 0)
})

test('a router that speaks PCP maps TCP and UDP by PCP, before NAT-PMP is asked, and they go on stop', async t => {
  const { gateway, pcp, attempt } = await natPmpGateway(t)
  const mapper = new PortMapper({ log: silentLogger, attempts: [noUpnp, pcp, attempt] })
  await mapper.map(4000)
  assert.deepEqual(mapper.state, { state: 'mapped', via: 'pcp', gateway: '127.0.0.1', internalPort: 4000, externalHost: '11.0.0.101', externalPort: 4000, protocols: ['tcp', 'udp'] })
  assert.deepEqual([...gateway.mappings.keys()].sort(), ['tcp:4000', 'udp:4000'])
  assert.equal(gateway.requests.length, 0, 'NAT-PMP was not asked')
  await mapper.stop()
  assert.equal(gateway.mappings.size, 0)
})

test('a router that answers PCP in NAT-PMP\'s version is asked by NAT-PMP at once, without waiting out PCP', async t => {
  const { gateway, pcp, attempt } = await natPmpGateway(t)
  gateway.pcp = false
  // The clock never moves: had PCP waited for an answer in its own version, this would never settle.
  const mapper = new PortMapper({ log: silentLogger, attempts: [noUpnp, pcp, attempt] })
  await mapper.map(4000)
  assert.deepEqual(mapper.state, { state: 'mapped', via: 'natpmp', gateway: '127.0.0.1', internalPort: 4000, externalHost: '11.0.0.101', externalPort: 4000, protocols: ['tcp', 'udp'] })
  assert.equal(gateway.pcpRequests.length, 1)
  await mapper.stop()
  assert.equal(gateway.mappings.size, 0)
})

test('a router that refuses PCP is asked by NAT-PMP, and the PCP refusal is not held against it', async t => {
  const { gateway, pcp, attempt } = await natPmpGateway(t)
  gateway.pcpBehaviour = request => encodeMapResponse({ result: 'UNSUPP_OPCODE', lifetimeSeconds: 0, epoch: 1, nonce: request.nonce, protocol: request.protocol, internalPort: request.internalPort, externalPort: 0, externalAddress: '0.0.0.0' })
  const mapper = new PortMapper({ log: silentLogger, attempts: [noUpnp, pcp, attempt] })
  await mapper.map(4000)
  assert.equal(mapper.state.state === 'mapped' && mapper.state.via, 'natpmp')
  await mapper.stop()
})

test('a UDP port the gateway forwards under another number than TCP\'s is not reported as forwarded', async t => {
  const { gateway, attempt } = await natPmpGateway(t)
  gateway.behaviour = request => request.op === 1
    ? encodeResponse({ op: 'map', protocol: 'udp', result: 'success', epoch: 1, internalPort: request.internalPort, externalPort: 4999, lifetimeSeconds: 3600 })
    : 'answer'
  const mapper = new PortMapper({ log: silentLogger, attempts: [noUpnp, attempt] })
  await mapper.map(4000)
  assert.deepEqual(mapper.state.state === 'mapped' && mapper.state.protocols, ['tcp'])
  await mapper.stop()
})

test('with neither, the state says why in words, for each way tried', async t => {
  const { gateway, attempt } = await natPmpGateway(t)
  gateway.behaviour = () => encodeResponse({ op: 'map', protocol: 'tcp', result: 'refused', code: 2, epoch: 1 })
  const mapper = new PortMapper({ log: silentLogger, attempts: [noUpnp, attempt] })
  await mapper.map(4000)
  assert.deepEqual(mapper.state, { state: 'unavailable', reason: 'no router on this network answered a UPnP search; the router at 127.0.0.1 did not map port 4000 by NAT-PMP: the router refused (NAT-PMP may be turned off on it)' })
  await mapper.stop()
  assert.deepEqual(mapper.state, { state: 'off' })
})

test('moving to another port removes the old mapping before making the new one', async t => {
  const { gateway, attempt } = await natPmpGateway(t)
  const mapper = new PortMapper({ log: silentLogger, attempts: [noUpnp, attempt] })
  await mapper.map(4000)
  await mapper.map(4001)
  assert.deepEqual([...gateway.mappings.keys()].sort(), ['tcp:4001', 'udp:4001'])
  assert.equal(mapper.externalPort(4001), 4001)
  await mapper.stop()
})

test('a mapping whose renewal fails is made anew', async t => {
  const { gateway, clock, attempt } = await natPmpGateway(t)
  const mapper = new PortMapper({ log: silentLogger, attempts: [noUpnp, attempt] })
  await mapper.map(4000)
  const before = gateway.requests.length
  gateway.behaviour = (request, index) => index === before && request.op === 2 ? encodeResponse({ op: 'map', protocol: 'tcp', result: 'network-failure', code: 3, epoch: 1 }) : 'answer'
  clock.advance(30 * 60_000)
  // The refused renewal, then the old mappings deleted and both made again.
  await waitUntil(() => gateway.requests.filter(r => r.lifetime > 0).length >= before + 2 && mapper.state.state === 'mapped' && gateway.mappings.size === 2, 5_000, 'the mapping made anew')
  assert.ok(gateway.requests.slice(before).some(r => r.lifetime === 0), 'the old mappings were deleted first')
  await mapper.stop()
  assert.equal(gateway.mappings.size, 0)
})

test('a mapping that arrives after the port moved on is removed at once', async () => {
  const stopped: number[] = []
  let release: (() => void) | null = null
  const slow: MappingAttempt = async port => {
    if (port === 4000) await new Promise<void>(resolve => { release = resolve })
    const mapped: MappedPort = { via: 'natpmp', gateway: '10.0.0.1', externalHost: '203.0.113.5', externalPort: port, protocols: ['tcp'], stop: async () => { stopped.push(port) } }
    return mapped
  }
  const mapper = new PortMapper({ log: silentLogger, attempts: [slow] })
  const first = mapper.map(4000)
  const started = await waitUntil(() => release ?? false, 5_000, 'the first attempt')
  await mapper.map(4001)
  started()
  await first
  assert.deepEqual(stopped, [4000])
  assert.equal(mapper.state.state === 'mapped' && mapper.state.internalPort, 4001)
  await mapper.stop()
  assert.deepEqual(stopped, [4000, 4001])
})
