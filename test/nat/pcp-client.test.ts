import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import { test, type TestContext } from 'node:test'
import { silentLogger } from '../../core/log.ts'
import { GatewayError } from '../../core/nat/gateway-client.ts'
import { PcpClient } from '../../core/nat/pcp-client.ts'
import { ManualClock } from '../helpers/manual-clock.ts'
import { encodeMapResponse, FakeGateway, gatewayAndClient, type PcpRequest } from '../helpers/port-control-gateway.ts'
import { waitUntil } from '../helpers/wait.ts'

async function setUp (t: TestContext, opts: { onLost?: (reason: string) => void } = {}): Promise<{ gateway: FakeGateway; clock: ManualClock; client: PcpClient }> {
  return await gatewayAndClient(t, async (port, clock) => await PcpClient.open({ gateway: '127.0.0.1', port, log: silentLogger, clock, onLost: opts.onLost }))
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
const fields = (r: PcpRequest): unknown[] => [r.protocol, r.internalPort, r.suggested, r.suggestedAddress, r.lifetime]

test('maps TCP and UDP, naming our address, each mapping under its own random nonce, and reads the address outside from the answer', async t => {
  const { gateway, client } = await setUp(t)
  assert.deepEqual(await client.map('tcp', 4000, 3600), { protocol: 'tcp', internalPort: 4000, externalPort: 4000, lifetimeSeconds: 3600, externalAddress: '11.0.0.101' })
  assert.deepEqual(await client.map('udp', 4000, 3600), { protocol: 'udp', internalPort: 4000, externalPort: 4000, lifetimeSeconds: 3600, externalAddress: '11.0.0.101' })
  assert.deepEqual(gateway.pcpRequests.map(r => [r.version, r.opcode, r.clientAddress, r.length, ...fields(r)]), [
    [2, 1, '127.0.0.1', 60, 6, 4000, 4000, '0.0.0.0', 3600],
    [2, 1, '127.0.0.1', 60, 17, 4000, 4000, '0.0.0.0', 3600]
  ])
  const [tcp, udp] = gateway.pcpRequests.map(r => hex(r.nonce))
  assert.notEqual(tcp, udp)
  assert.notEqual(tcp, '000000000000000000000000')
  assert.deepEqual([...gateway.mappings.keys()], ['tcp:4000', 'udp:4000'])
  assert.equal(gateway.requests.length, 0, 'nothing was asked by NAT-PMP')
})

test('a router that speaks only NAT-PMP fails the request at its first answer, without resending or waiting', async t => {
  const { gateway, client } = await setUp(t)
  gateway.pcp = false
  // The clock never moves: only the router's version 0 answer can end the request.
  await assert.rejects(client.map('tcp', 4000, 3600), (err: unknown) => err instanceof GatewayError && err.reason === 'older-version' && /speaks NAT-PMP, not PCP/.test(err.message))
  assert.equal(gateway.pcpRequests.length, 1)
})

test('nothing listening at the router\'s port fails the request at once', async t => {
  const closed = dgram.createSocket('udp4')
  await new Promise<void>(resolve => { closed.bind(0, '127.0.0.1', resolve) })
  const port = closed.address().port
  closed.close()
  const clock = new ManualClock()
  const client = await PcpClient.open({ gateway: '127.0.0.1', port, log: silentLogger, clock })
  t.after(async () => { const s = client.stop(); clock.advance(5_000); await s })
  await assert.rejects(client.map('tcp', 4000, 3600), (err: unknown) => err instanceof GatewayError && err.reason === 'no-answer' && /nothing answers PCP/.test(err.message))
})

test('the router\'s refusal is an error in plain words', async t => {
  const { gateway, client } = await setUp(t)
  // Another program holds the port under its own nonce.
  gateway.mappings.set('tcp:4000', { externalPort: 4000, lifetime: 3600, nonce: 'aa'.repeat(12) })
  await assert.rejects(client.map('tcp', 4000, 3600), (err: unknown) => err instanceof GatewayError && err.reason === 'NOT_AUTHORIZED' && /the router refused/.test(err.message))
  gateway.pcpBehaviour = request => encodeMapResponse({ result: 'NO_RESOURCES', lifetimeSeconds: 30, epoch: 1, nonce: request.nonce, protocol: request.protocol, internalPort: request.internalPort, externalPort: 0, externalAddress: '0.0.0.0' })
  await assert.rejects(client.map('udp', 4000, 3600), (err: unknown) => err instanceof GatewayError && err.reason === 'NO_RESOURCES' && /no room/.test(err.message))
})

test('answers for another nonce, protocol or port, malformed or oversized packets are ignored while the real answer is awaited', async t => {
  const { gateway, clock, client } = await setUp(t)
  gateway.pcpBehaviour = (request, index) => {
    if (index > 0) return 'answer'
    const [host, port] = request.from.split(':') as [string, string]
    const send = (bytes: Uint8Array): void => { gateway.socket.send(bytes, Number(port), host) }
    const forged = { result: 'SUCCESS' as const, lifetimeSeconds: 3600, epoch: 1, nonce: request.nonce, protocol: 6, internalPort: 4000, externalPort: 666, externalAddress: '6.6.6.6' }
    send(encodeMapResponse({ ...forged, nonce: new Uint8Array(12) }))
    send(encodeMapResponse({ ...forged, protocol: 17 }))
    send(encodeMapResponse({ ...forged, internalPort: 4001 }))
    send(encodeMapResponse(forged).subarray(0, 58))
    send(encodeMapResponse({ ...forged, options: new Uint8Array(1044) }))
    send(Uint8Array.of(2, 1, ...encodeMapResponse(forged).subarray(2)))
    return 'drop'
  }
  const mapping = client.map('tcp', 4000, 3600)
  await waitUntil(() => gateway.pcpRequests.length === 1, 5_000, 'the first request')
  // Time for the six packets to arrive and be turned away.
  await new Promise(resolve => setTimeout(resolve, 100))
  clock.advance(250)
  assert.deepEqual(await mapping, { protocol: 'tcp', internalPort: 4000, externalPort: 4000, lifetimeSeconds: 3600, externalAddress: '11.0.0.101' })
})

test('a mapping is renewed at half the lifetime granted, under its nonce, suggesting the port and address it has', async t => {
  const { gateway, clock, client } = await setUp(t)
  gateway.pcpBehaviour = request => encodeMapResponse({ result: 'SUCCESS', lifetimeSeconds: 600, epoch: 1, nonce: request.nonce, protocol: request.protocol, internalPort: request.internalPort, externalPort: 4100, externalAddress: '11.0.0.101' })
  await client.map('tcp', 4000, 3600)
  clock.advance(299_999)
  await new Promise(resolve => setTimeout(resolve, 50))
  assert.equal(gateway.pcpRequests.length, 1)
  clock.advance(1)
  await waitUntil(() => gateway.pcpRequests.length === 2, 5_000, 'the renewal')
  assert.deepEqual(gateway.pcpRequests.map(fields), [[6, 4000, 4000, '0.0.0.0', 3600], [6, 4000, 4100, '11.0.0.101', 3600]])
  assert.equal(hex(gateway.pcpRequests[1]!.nonce), hex(gateway.pcpRequests[0]!.nonce))
  clock.advance(300_000)
  await waitUntil(() => gateway.pcpRequests.length === 3, 5_000, 'the next renewal')
})

test('a renewal the router answers with another address outside reports the mapping lost', async t => {
  const lost: string[] = []
  const { gateway, clock, client } = await setUp(t, { onLost: reason => lost.push(reason) })
  await client.map('tcp', 4000, 3600)
  gateway.externalAddress = '11.0.0.102'
  clock.advance(1_800_000)
  await waitUntil(() => lost.length === 1, 5_000, 'the loss')
  assert.match(lost[0]!, /moved tcp:4000 to the address 11\.0\.0\.102/)
})

test('stop deletes every mapping under its own nonce (lifetime 0), even one whose answer was lost, and stops renewing', async t => {
  const { gateway, clock, client } = await setUp(t)
  await client.map('tcp', 4000, 3600)
  // The router maps UDP but every answer is lost.
  gateway.pcpBehaviour = (request, index) => {
    if (index > 0 && request.lifetime > 0) { gateway.mappings.set('udp:4000', { externalPort: 4000, lifetime: 3600, nonce: hex(request.nonce) }); return 'drop' }
    return 'answer'
  }
  const udp = assert.rejects(client.map('udp', 4000, 3600), (err: unknown) => err instanceof GatewayError && err.reason === 'no-answer')
  for (let i = 0; i < 5; i++) {
    await waitUntil(() => gateway.pcpRequests.length >= 2 + i, 5_000, `UDP request ${i}`)
    clock.advance(2_000)
  }
  await udp
  const asked = gateway.pcpRequests.length
  await client.stop()
  // The router deletes only for the nonce that made each mapping: none is left.
  assert.equal(gateway.mappings.size, 0)
  assert.deepEqual(gateway.pcpRequests.slice(asked).map(r => [r.protocol, r.lifetime, hex(r.nonce)]), [
    [6, 0, hex(gateway.pcpRequests[0]!.nonce)],
    [17, 0, hex(gateway.pcpRequests[1]!.nonce)]
  ])
  clock.advance(3_600_000)
  await new Promise(resolve => setTimeout(resolve, 50))
  assert.equal(gateway.pcpRequests.length, asked + 2)
  await assert.rejects(client.map('tcp', 4000, 3600), (err: unknown) => err instanceof GatewayError && err.reason === 'stopped')
})

test('stop never throws and gives up on a silent router within ~2 s, even mid-request', async t => {
  const { gateway, clock, client } = await setUp(t)
  await client.map('tcp', 4000, 3600)
  gateway.pcpBehaviour = () => 'drop'
  const stopped = assert.rejects(client.map('udp', 4000, 3600), (err: unknown) => err instanceof GatewayError && err.reason === 'stopped')
  await waitUntil(() => gateway.pcpRequests.length === 2, 5_000, 'the UDP request')
  const stopping = client.stop()
  await stopped
  for (let i = 0; i < 10; i++) {
    clock.advance(250)
    await new Promise(resolve => setTimeout(resolve, 10))
  }
  await stopping
  assert.ok(gateway.pcpRequests.some(r => r.protocol === 6 && r.lifetime === 0), 'the TCP mapping was asked to go')
})
