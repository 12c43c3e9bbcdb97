import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { serveJsonRpcLines } from '../../core/rpc/json-rpc-lines.ts'
import { MAX_LINE_BYTES } from '../../core/rpc/line-splitter.ts'
import { CHANNEL_ID, fixedService, message } from './fixed-service.ts'

function start () {
  const input = new PassThrough()
  const output = new PassThrough()
  const service = fixedService()
  const server = serveJsonRpcLines({ service, input, output })
  const read = (): Array<Record<string, unknown>> => {
    const text = String(output.read() ?? '')
    return text.split('\n').filter(Boolean).map(l => JSON.parse(l) as Record<string, unknown>)
  }
  return { input, output, service, server, read }
}

test('each input line is answered with one output line', async () => {
  const { input, server, read } = start()
  input.end('{"jsonrpc":"2.0","id":1,"method":"identity.get"}\n{"jsonrpc":"2.0","id":2,"method":"settings.get"}\n')
  await server.ended
  assert.deepEqual(read().map(r => r.id).sort(), [1, 2])
})

test('requests read before the input ended are still answered', async () => {
  const { input, server, read } = start()
  input.end('{"jsonrpc":"2.0","id":1,"method":"channels.list"}')
  await server.ended
  assert.equal(read()[0]?.id, 1)
})

test('events are written as notification lines', async () => {
  const { service, read } = start()
  service.emit('channel.removed', { channelId: CHANNEL_ID })
  assert.deepEqual(read(), [{ jsonrpc: '2.0', method: 'channel.removed', params: { channelId: CHANNEL_ID } }])
})

test('an overlong line is answered with an invalid request and later lines still work', async () => {
  const { input, server, read } = start()
  input.write(Buffer.alloc(MAX_LINE_BYTES + 10, 0x20))
  input.end('\n{"jsonrpc":"2.0","id":9,"method":"identity.get"}\n')
  await server.ended
  const replies = read()
  assert.equal((replies[0]?.error as { code: number }).code, -32600)
  assert.equal(replies[1]?.id, 9)
})

test('close stops events', () => {
  const { service, server, read } = start()
  server.close()
  service.emit('channel.removed', { channelId: CHANNEL_ID })
  assert.deepEqual(read(), [])
})

test('lines are answered in the order they were read, even when an earlier call is slower', async () => {
  const input = new PassThrough()
  const output = new PassThrough()
  const order: string[] = []
  const service = fixedService({
    'channels.create': async () => {
      await new Promise(resolve => setTimeout(resolve, 20))
      order.push('create')
      return { channelId: CHANNEL_ID, uri: 'bitchat:?v=1' }
    },
    'messages.send': async () => { order.push('send'); return { messageId: 'e'.repeat(64), message: message({ own: true }) } }
  })
  const server = serveJsonRpcLines({ service, input, output })
  input.end([
    JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'channels.create', params: { name: 'team', trackers: [] } }),
    JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'messages.send', params: { channelId: CHANNEL_ID, text: 'hi' } })
  ].join('\n') + '\n')
  await server.ended
  assert.deepEqual(order, ['create', 'send'])
  assert.deepEqual(String(output.read()).trim().split('\n').map(l => (JSON.parse(l) as { id: number }).id), [1, 2])
})

test('reading pauses while too many lines wait and resumes as they are answered', async () => {
  const input = new PassThrough()
  const output = new PassThrough()
  let release = (): void => {}
  const gate = new Promise<void>(resolve => { release = resolve })
  const service = fixedService({ 'identity.get': async () => { await gate; return { publicKey: '', fingerprint: '', name: '', encrypted: false } } })
  const server = serveJsonRpcLines({ service, input, output })
  input.write('{"jsonrpc":"2.0","id":1,"method":"identity.get"}\n'.repeat(100))
  await new Promise(resolve => setImmediate(resolve))
  assert.equal(input.isPaused(), true)
  release()
  output.resume()
  input.end()
  await server.ended
  assert.equal(input.isPaused(), false)
})
