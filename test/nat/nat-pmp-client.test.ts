import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import dgram from 'node:dgram'
import { once } from 'node:events'
import { test, type TestContext } from 'node:test'
import { GatewayError } from '../../core/nat/gateway-client.ts'
import { NatPmpClient } from '../../core/nat/nat-pmp-client.ts'
import { silentLogger } from '../../core/log.ts'
import { ManualClock } from '../helpers/manual-clock.ts'
import { encodeResponse, FakeGateway, gatewayAndClient } from '../helpers/port-control-gateway.ts'
import { waitUntil } from '../helpers/wait.ts'

async function setUp (t: TestContext, opts: { onLost?: (reason: string) => void } = {}): Promise<{ gateway: FakeGateway; clock: ManualClock; client: NatPmpClient }> {
  return await gatewayAndClient(t, async (port, clock) => await NatPmpClient.open({ gateway: '127.0.0.1', port, log: silentLogger, clock, onLost: opts.onLost }))
}

test('maps TCP and UDP for the lifetime asked, and reads the address outside', async t => {
  const { gateway, client } = await setUp(t)
  assert.deepEqual(await client.map('tcp', 4000, 3600), { protocol: 'tcp', internalPort: 4000, externalPort: 4000, lifetimeSeconds: 3600 })
  assert.deepEqual(await client.map('udp', 4000, 3600), { protocol: 'udp', internalPort: 4000, externalPort: 4000, lifetimeSeconds: 3600 })
  assert.equal(await client.externalAddress(), '11.0.0.101')
  assert.deepEqual(gateway.requests.map(r => [r.op, r.internalPort, r.suggested, r.lifetime]), [[2, 4000, 4000, 3600], [1, 4000, 4000, 3600], [0, 0, 0, 0]])
  assert.deepEqual([...gateway.mappings.keys()], ['tcp:4000', 'udp:4000'])
})

test('a port the gateway gives instead of ours is the one reported', async t => {
  const { gateway, client } = await setUp(t)
  gateway.behaviour = request => encodeResponse({ op: 'map', protocol: 'tcp', result: 'success', epoch: 1, internalPort: request.internalPort, externalPort: 40001, lifetimeSeconds: 1800 })
  assert.deepEqual(await client.map('tcp', 4000, 3600), { protocol: 'tcp', internalPort: 4000, externalPort: 40001, lifetimeSeconds: 1800 })
})

test('an unanswered request is sent again after 250 ms, then 500, 1000: doubling', async t => {
  const { gateway, clock, client } = await setUp(t)
  gateway.behaviour = (_, index) => index < 3 ? 'drop' : 'answer'
  const mapping = client.map('tcp', 4000, 3600)
  for (const [count, wait] of [[1, 249], [1, 1], [2, 499], [2, 1], [3, 999], [3, 1]] as const) {
    await waitUntil(() => gateway.requests.length >= count, 5_000, `request ${count}`)
    assert.equal(gateway.requests.length, count)
    clock.advance(wait)
  }
  assert.equal((await mapping).externalPort, 4000)
  assert.equal(gateway.requests.length, 4)
})

test('a gateway silent for ~4 s is given up on after five sends, without waiting the RFC\'s two minutes', async t => {
  const { gateway, clock, client } = await setUp(t)
  gateway.behaviour = () => 'drop'
  const mapping = client.map('tcp', 4000, 3600)
  const failed = assert.rejects(mapping, (err: unknown) => err instanceof GatewayError && err.reason === 'no-answer')
  for (const [count, wait] of [[1, 250], [2, 500], [3, 1000], [4, 2000], [5, 250]] as const) {
    await waitUntil(() => gateway.requests.length >= count, 5_000, `request ${count}`)
    clock.advance(wait)
  }
  await failed
  assert.equal(gateway.requests.length, 5)
})

test('the gateway\'s refusal is an error naming its result code', async t => {
  const { gateway, client } = await setUp(t)
  gateway.behaviour = () => encodeResponse({ op: 'map', protocol: 'tcp', result: 'refused', code: 2, epoch: 1 })
  await assert.rejects(client.map('tcp', 4000, 3600), (err: unknown) => err instanceof GatewayError && err.reason === 'refused' && /refused/.test(err.message))
})

test('packets from elsewhere, malformed ones, and answers to other requests are ignored while the real answer is awaited', async t => {
  const { gateway, clock, client } = await setUp(t)
  const rogue = dgram.createSocket('udp4')
  t.after(() => { rogue.close() })
  await new Promise<void>(resolve => { rogue.bind(0, '127.0.0.1', resolve) })
  const forged = encodeResponse({ op: 'map', protocol: 'tcp', result: 'success', epoch: 1, internalPort: 4000, externalPort: 666, lifetimeSeconds: 3600 })
  gateway.behaviour = (request, index) => {
    if (index > 0) return 'answer'
    const [host, port] = request.from.split(':') as [string, string]
    rogue.send(forged, Number(port), host)
    // Then, from the gateway itself: a bad version, a UDP answer, another port's answer.
    gateway.socket.send(Uint8Array.of(1, ...forged.subarray(1)), Number(port), host)
    gateway.socket.send(encodeResponse({ op: 'map', protocol: 'udp', result: 'success', epoch: 1, internalPort: 4000, externalPort: 667, lifetimeSeconds: 3600 }), Number(port), host)
    gateway.socket.send(encodeResponse({ op: 'map', protocol: 'tcp', result: 'success', epoch: 1, internalPort: 4001, externalPort: 668, lifetimeSeconds: 3600 }), Number(port), host)
    return 'drop'
  }
  const mapping = client.map('tcp', 4000, 3600)
  await waitUntil(() => gateway.requests.length === 1, 5_000, 'the first request')
  // Time for the four packets to arrive and be turned away.
  await new Promise(resolve => setTimeout(resolve, 100))
  clock.advance(250)
  assert.equal((await mapping).externalPort, 4000)
})

test('a mapping is renewed at half the lifetime the gateway granted, asking for the port it has', async t => {
  const { gateway, clock, client } = await setUp(t)
  gateway.behaviour = request => encodeResponse({ op: 'map', protocol: 'tcp', result: 'success', epoch: 1, internalPort: request.internalPort, externalPort: 4100, lifetimeSeconds: 600 })
  await client.map('tcp', 4000, 3600)
  clock.advance(299_999)
  await new Promise(resolve => setTimeout(resolve, 50))
  assert.equal(gateway.requests.length, 1)
  clock.advance(1)
  await waitUntil(() => gateway.requests.length === 2, 5_000, 'the renewal')
  assert.deepEqual(gateway.requests.map(r => [r.op, r.internalPort, r.suggested, r.lifetime]), [[2, 4000, 4000, 3600], [2, 4000, 4100, 3600]])
  clock.advance(300_000)
  await waitUntil(() => gateway.requests.length === 3, 5_000, 'the next renewal')
})

test('a gateway granting a lasting mapping to port 0, or for 0 seconds, has granted nothing; one granting 2^32-1 seconds is renewed within a timer\'s reach, not at once', async t => {
  const { gateway, clock, client } = await setUp(t)
  gateway.behaviour = request => encodeResponse({ op: 'map', protocol: 'tcp', result: 'success', epoch: 1, internalPort: request.internalPort, externalPort: 0, lifetimeSeconds: 0 })
  await assert.rejects(client.map('tcp', 4000, 3600), /port 0 for 0 s/)
  gateway.behaviour = request => encodeResponse({ op: 'map', protocol: 'tcp', result: 'success', epoch: 1, internalPort: request.internalPort, externalPort: 4000, lifetimeSeconds: 0xffffffff })
  await client.map('tcp', 4001, 3600)
  const asked = gateway.requests.length
  clock.advance(24 * 3600_000)
  await new Promise(resolve => setTimeout(resolve, 50))
  assert.equal(gateway.requests.length, asked, 'no renewal within a day')
})

test('a renewal the gateway does not answer, or answers with another port, reports the mapping lost', async t => {
  const lost: string[] = []
  const { gateway, clock, client } = await setUp(t, { onLost: reason => lost.push(reason) })
  await client.map('tcp', 4000, 3600)
  await client.map('udp', 4000, 3600)
  gateway.behaviour = request => request.op === 2 ? 'drop' : encodeResponse({ op: 'map', protocol: 'udp', result: 'success', epoch: 1, internalPort: 4000, externalPort: 5000, lifetimeSeconds: 3600 })
  clock.advance(1_800_000)
  // The TCP renewal goes first and is resent until it is given up on; the UDP one waits its turn.
  for (let i = 0; i < 100 && lost.length < 2; i++) {
    clock.advance(250)
    await new Promise(resolve => setTimeout(resolve, 10))
  }
  assert.equal(lost.length, 2)
  assert.match(lost[0]!, /renewing tcp:4000 failed: no answer/)
  assert.match(lost[1]!, /moved udp:4000 to port 5000/)
})

test('stop deletes every mapping (lifetime 0, naming the port it had), even one whose answer was lost, and stops renewing', async t => {
  const { gateway, clock, client } = await setUp(t)
  await client.map('tcp', 4000, 3600)
  // The gateway maps UDP but every answer is lost.
  gateway.behaviour = (request, index) => { if (index > 0 && request.lifetime > 0) { gateway.mappings.set('udp:4000', { externalPort: 4000, lifetime: 3600 }); return 'drop' } return 'answer' }
  const udp = assert.rejects(client.map('udp', 4000, 3600), (err: unknown) => err instanceof GatewayError && err.reason === 'no-answer')
  for (let i = 0; i < 5; i++) {
    await waitUntil(() => gateway.requests.length >= 2 + i, 5_000, `UDP request ${i}`)
    clock.advance(2_000)
  }
  await udp
  const asked = gateway.requests.length
  await client.stop()
  assert.deepEqual(gateway.mappings.size, 0)
  assert.deepEqual(gateway.requests.slice(asked).map(r => [r.op, r.internalPort, r.suggested, r.lifetime]), [[2, 4000, 4000, 0], [1, 4000, 4000, 0]])
  clock.advance(3_600_000)
  await new Promise(resolve => setTimeout(resolve, 50))
  assert.equal(gateway.requests.length, asked + 2)
  await assert.rejects(client.map('tcp', 4000, 3600), (err: unknown) => err instanceof GatewayError && err.reason === 'stopped')
})

test('stop never throws and gives up on a silent gateway within ~2 s, even mid-request', async t => {
  const { gateway, clock, client } = await setUp(t)
  await client.map('tcp', 4000, 3600)
  gateway.behaviour = () => 'drop'
  const pending = client.map('udp', 4000, 3600)
  const stopped = assert.rejects(pending, (err: unknown) => err instanceof GatewayError && err.reason === 'stopped')
  await waitUntil(() => gateway.requests.length === 2, 5_000, 'the UDP request')
  const stopping = client.stop()
  await stopped
  for (let i = 0; i < 10; i++) {
    clock.advance(250)
    await new Promise(resolve => setTimeout(resolve, 10))
  }
  await stopping
  assert.ok(gateway.requests.some(r => r.op === 2 && r.lifetime === 0), 'the TCP mapping was asked to go')
})

test('stop deletes every mapping even when nothing else keeps the process alive (quitting)', async t => {
  const gateway = await FakeGateway.start()
  t.after(() => { gateway.close() })
  const client = new URL('../../core/nat/nat-pmp-client.ts', import.meta.url).href
  const log = new URL('../../core/log.ts', import.meta.url).href
  const script = `
    import { NatPmpClient } from '${client}'
    import { silentLogger } from '${log}'
    const c = await NatPmpClient.open({ gateway: '127.0.0.1', port: ${gateway.port}, log: silentLogger })
    await c.map('tcp', 4000, 3600)
    await c.map('udp', 4000, 3600)
    await c.stop()
    console.log('stopped')
  `
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString() })
  const [code] = await once(child, 'exit') as [number | null]
  assert.equal(code, 0)
  assert.equal(out.trim(), 'stopped')
  assert.equal(gateway.mappings.size, 0)
})
