// Which way a dial to a TCP address goes: TCP first; UDP too once TCP has been silent for a moment,
// the first to connect kept and the other closed; never UDP after a refusal, nor through a proxy.
import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { test } from 'node:test'
import { dialRoute, UDP_HEAD_START_MS } from '../../core/transport/direct-dial.ts'
import type { RawStream, Route, Transport, TransportKind } from '../../core/transport/raw-stream.ts'

class FakeStream extends EventEmitter {
  destroyed = false
  readonly kind: TransportKind
  constructor (kind: TransportKind) {
    super()
    this.kind = kind
  }

  destroy (): void { this.destroyed = true }
}

/** A transport whose dial settles after `ms`: with a stream, or with `error`. */
function fake (kind: TransportKind, ms: number, error: (Error & { code?: string }) | null = null): Transport & { dials: Route[]; streams: FakeStream[]; signals: Array<AbortSignal | undefined> } {
  const dials: Route[] = []
  const streams: FakeStream[] = []
  const signals: Array<AbortSignal | undefined> = []
  return {
    kind,
    dials,
    streams,
    signals,
    dial: async (route, opts) => {
      dials.push(route)
      signals.push(opts.signal)
      await new Promise(resolve => setTimeout(resolve, ms))
      if (error !== null) throw error
      const stream = new FakeStream(route.kind)
      streams.push(stream)
      return stream as unknown as RawStream
    }
  }
}

const route: Route = { kind: 'tcp', host: '10.0.0.1', port: 4000 }
const timeout = Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' })
const refusedError = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })

test('a TCP connection made at once sends nothing over UDP', async () => {
  const [tcp, udp] = [fake('tcp', 5), fake('udp', 5)]
  const stream = await dialRoute(route, { tcp, udp, timeoutMs: 2_000 })
  assert.equal(stream.kind, 'tcp')
  await new Promise(resolve => setTimeout(resolve, UDP_HEAD_START_MS + 50))
  assert.equal(udp.dials.length, 0)
})

test('a silent TCP port: UDP to the same address is tried after the head start, and wins', async () => {
  const [tcp, udp] = [fake('tcp', 800, timeout), fake('udp', 10)]
  const started = Date.now()
  const stream = await dialRoute(route, { tcp, udp, timeoutMs: 2_000 })
  assert.equal(stream.kind, 'udp')
  assert.deepEqual(udp.dials, [{ ...route, kind: 'udp' }])
  assert.ok(Date.now() - started >= UDP_HEAD_START_MS)
})

test('the slower of two connections is closed', async () => {
  const [tcp, udp] = [fake('tcp', 600), fake('udp', 10)]
  const stream = await dialRoute(route, { tcp, udp, timeoutMs: 2_000 })
  assert.equal(stream.kind, 'udp')
  await new Promise(resolve => setTimeout(resolve, 500))
  assert.equal(tcp.streams[0]?.destroyed, true)
})

test('a refused TCP port is the answer: no UDP; a proxy sends none either; both failing gives TCP\'s reason', async () => {
  const udp = fake('udp', 10)
  await assert.rejects(dialRoute(route, { tcp: fake('tcp', 5, refusedError), udp, timeoutMs: 2_000 }), /ECONNREFUSED/)
  await assert.rejects(dialRoute(route, { tcp: fake('proxy', 400, timeout), udp, timeoutMs: 2_000 }), /timeout/)
  await new Promise(resolve => setTimeout(resolve, UDP_HEAD_START_MS))
  assert.equal(udp.dials.length, 0)
  await assert.rejects(dialRoute(route, { tcp: fake('tcp', 400, timeout), udp: fake('udp', 10, new Error('no answer over UDP')), timeoutMs: 2_000 }), /connect timeout/)
  await assert.rejects(dialRoute({ ...route, kind: 'udp' }, { tcp: fake('tcp', 5), udp: null, timeoutMs: 2_000 }), /UDP is off/)
})

test('TCP connecting after UDP started calls the UDP dial off', async () => {
  const [tcp, udp] = [fake('tcp', UDP_HEAD_START_MS + 100), fake('udp', 2_000)]
  const stream = await dialRoute(route, { tcp, udp, timeoutMs: 3_000 })
  assert.equal(stream.kind, 'tcp')
  assert.equal(udp.signals[0]?.aborted, true)
})
