import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BitChatError } from '../../core/api/errors.ts'
import { createLogger } from '../../core/log.ts'
import { MAX_BATCH_LENGTH, MAX_BATCH_REPLY_BYTES, MAX_MESSAGE_LENGTH, serveJsonRpc } from '../../core/rpc/json-rpc.ts'
import { MAX_RESULT_BYTES } from '../../core/api/params.ts'
import type { MessageInfo } from '../../core/api/contract.ts'
import type { Outgoing } from '../../core/rpc/outbound-queue.ts'
import { CHANNEL_ID, fixedService, message, type FixedService } from './fixed-service.ts'

function connect (service: FixedService = fixedService(), logLines: string[] = []) {
  const sent: unknown[] = []
  const rpc = serveJsonRpc(service, text => { sent.push(JSON.parse(text)) }, createLogger({ level: 'debug', write: l => { logLines.push(l) } }))
  return { rpc, sent, service }
}

async function ask (text: string, service?: FixedService): Promise<unknown[]> {
  const { rpc, sent } = connect(service)
  await rpc.receive(text)
  return sent
}

test('a call answers with the method result and the same id', async () => {
  const sent = await ask('{"jsonrpc":"2.0","id":7,"method":"identity.get"}')
  assert.deepEqual(sent, [{ jsonrpc: '2.0', id: 7, result: { publicKey: 'a'.repeat(64), fingerprint: 'abcd-efgh', name: 'alice', encrypted: false } }])
})

test('a string id is echoed', async () => {
  const sent = await ask('{"jsonrpc":"2.0","id":"x1","method":"settings.get","params":{}}')
  assert.equal((sent[0] as { id: string }).id, 'x1')
})

test('params reach the method after validation', async () => {
  const service = fixedService()
  await ask(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'messages.send', params: { channelId: CHANNEL_ID, text: 'hi' } }), service)
  assert.deepEqual(service.calls, [{ method: 'messages.send', params: { channelId: CHANNEL_ID, text: 'hi' } }])
})

test('a void result becomes null', async () => {
  const sent = await ask(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'channels.leave', params: { channelId: CHANNEL_ID } }))
  assert.deepEqual(sent, [{ jsonrpc: '2.0', id: 1, result: null }])
})

test('invalid JSON is a parse error with a null id', async () => {
  const sent = await ask('{"jsonrpc":"2.0",')
  assert.deepEqual(sent, [{ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error: the message is not valid JSON', data: { code: 'INVALID_REQUEST' } } }])
})

test('a request that is not an object is an invalid request', async () => {
  for (const text of ['1', '"x"', 'null', 'true']) {
    const sent = await ask(text) as Array<{ id: unknown; error: { code: number; data: { code: string } } }>
    assert.equal(sent[0]?.error.code, -32600, text)
    assert.equal(sent[0]?.id, null)
    assert.equal(sent[0]?.error.data.code, 'INVALID_REQUEST')
  }
})

test('a wrong jsonrpc version is an invalid request answered with the id', async () => {
  const sent = await ask('{"jsonrpc":"1.0","id":3,"method":"identity.get"}') as Array<{ id: unknown; error: { code: number } }>
  assert.equal(sent[0]?.error.code, -32600)
  assert.equal(sent[0]?.id, 3)
})

test('a missing or non-string method is an invalid request', async () => {
  for (const text of ['{"jsonrpc":"2.0","id":1}', '{"jsonrpc":"2.0","id":1,"method":5}']) {
    const sent = await ask(text) as Array<{ error: { code: number } }>
    assert.equal(sent[0]?.error.code, -32600, text)
  }
})

test('an id of the wrong type is an invalid request with a null id', async () => {
  for (const id of ['{}', '[]', 'true', '1e999']) {
    const sent = await ask(`{"jsonrpc":"2.0","id":${id},"method":"identity.get"}`) as Array<{ id: unknown; error: { code: number } }>
    assert.equal(sent[0]?.error.code, -32600, id)
    assert.equal(sent[0]?.id, null)
  }
})

test('scalar params are an invalid request', async () => {
  const sent = await ask('{"jsonrpc":"2.0","id":1,"method":"identity.get","params":"x"}') as Array<{ error: { code: number } }>
  assert.equal(sent[0]?.error.code, -32600)
})

test('an unknown method is -32601 with UNKNOWN_METHOD', async () => {
  const sent = await ask('{"jsonrpc":"2.0","id":1,"method":"system.shutdown"}') as Array<{ error: { code: number; message: string; data: unknown } }>
  assert.equal(sent[0]?.error.code, -32601)
  assert.deepEqual(sent[0]?.error.data, { code: 'UNKNOWN_METHOD' })
  assert.match(sent[0]?.error.message ?? '', /unknown method/)
})

test('inherited object keys are not methods', async () => {
  const sent = await ask('{"jsonrpc":"2.0","id":1,"method":"constructor"}') as Array<{ error: { code: number } }>
  assert.equal(sent[0]?.error.code, -32601)
})

test('bad params are -32602 with INVALID_PARAMS and say what is wrong', async () => {
  const sent = await ask('{"jsonrpc":"2.0","id":1,"method":"messages.send","params":{"channelId":"nope","text":"hi"}}') as Array<{ error: { code: number; message: string; data: unknown } }>
  assert.equal(sent[0]?.error.code, -32602)
  assert.deepEqual(sent[0]?.error.data, { code: 'INVALID_PARAMS' })
  assert.match(sent[0]?.error.message ?? '', /params\.channelId/)
})

test('array params are -32602', async () => {
  const sent = await ask('{"jsonrpc":"2.0","id":1,"method":"identity.get","params":[]}') as Array<{ error: { code: number } }>
  assert.equal(sent[0]?.error.code, -32602)
})

test('a BitChatError from the core is -32000 carrying its code and message', async () => {
  const service = fixedService({ 'channels.leave': async (p) => { throw BitChatError.channelNotFound(p.channelId) } })
  const sent = await ask(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'channels.leave', params: { channelId: CHANNEL_ID } }), service)
  assert.deepEqual(sent, [{ jsonrpc: '2.0', id: 1, error: { code: -32000, message: `no joined channel ${CHANNEL_ID}`, data: { code: 'CHANNEL_NOT_FOUND' } } }])
})

test('an unexpected error is logged and answered as INTERNAL without its details', async () => {
  const service = fixedService({ 'settings.get': async () => { throw new Error('disk full at /secret/path') } })
  const log: string[] = []
  const { rpc, sent } = connect(service, log)
  await rpc.receive('{"jsonrpc":"2.0","id":1,"method":"settings.get"}')
  const error = (sent[0] as { error: { code: number; message: string; data: unknown } }).error
  assert.equal(error.code, -32603)
  assert.deepEqual(error.data, { code: 'INTERNAL' })
  assert.doesNotMatch(error.message, /secret|disk full|\n\s+at /)
  assert.ok(log.some(line => line.includes('disk full at /secret/path')))
})

test('an unserializable result is answered as INTERNAL', async () => {
  const service = fixedService({ 'settings.get': async () => ({ big: 1n }) as never })
  const sent = await ask('{"jsonrpc":"2.0","id":1,"method":"settings.get"}', service) as Array<{ id: number; error: { code: number } }>
  assert.equal(sent[0]?.error.code, -32603)
  assert.equal(sent[0]?.id, 1)
})

test('a notification runs the method and gets no reply', async () => {
  const service = fixedService()
  const sent = await ask(JSON.stringify({ jsonrpc: '2.0', method: 'channels.markRead', params: { channelId: CHANNEL_ID } }), service)
  assert.deepEqual(sent, [])
  assert.equal(service.calls[0]?.method, 'channels.markRead')
})

test('a failing notification gets no reply either', async () => {
  const sent = await ask('{"jsonrpc":"2.0","method":"no.such"}')
  assert.deepEqual(sent, [])
})

test('a null id is a call, not a notification', async () => {
  const sent = await ask('{"jsonrpc":"2.0","id":null,"method":"identity.get"}') as Array<{ id: unknown; result: unknown }>
  assert.equal(sent.length, 1)
  assert.equal(sent[0]?.id, null)
})

test('a batch is answered with one array holding a reply per call, in order', async () => {
  const sent = await ask(JSON.stringify([
    { jsonrpc: '2.0', id: 1, method: 'identity.get' },
    { jsonrpc: '2.0', method: 'channels.markRead', params: { channelId: CHANNEL_ID } },
    { jsonrpc: '2.0', id: 2, method: 'nope' },
    5,
    { jsonrpc: '2.0', id: 3, method: 'channels.leave', params: { channelId: CHANNEL_ID } }
  ])) as Array<Array<{ id: unknown; result?: unknown; error?: { code: number } }>>
  assert.equal(sent.length, 1)
  const replies = sent[0] ?? []
  assert.deepEqual(replies.map(r => [r.id, r.error?.code ?? 'ok']), [[1, 'ok'], [2, -32601], [null, -32600], [3, 'ok']])
})

test('a batch of notifications gets no reply', async () => {
  const sent = await ask(JSON.stringify([{ jsonrpc: '2.0', method: 'identity.get' }, { jsonrpc: '2.0', method: 'settings.get' }]))
  assert.deepEqual(sent, [])
})

test('an empty batch is one invalid request', async () => {
  const sent = await ask('[]') as Array<{ error: { code: number } }>
  assert.equal(sent.length, 1)
  assert.equal(sent[0]?.error.code, -32600)
})

test('a batch larger than the limit is refused without running any of it', async () => {
  const service = fixedService()
  const batch = Array.from({ length: MAX_BATCH_LENGTH + 1 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'identity.get' }))
  const sent = await ask(JSON.stringify(batch), service) as Array<{ error: { code: number } }>
  assert.equal(sent[0]?.error.code, -32600)
  assert.equal(service.calls.length, 0)
})

test('a message over the size limit is refused before parsing', async () => {
  const text = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'identity.setName', params: { name: 'x'.repeat(MAX_MESSAGE_LENGTH) } })
  const sent = await ask(text) as Array<{ error: { code: number } }>
  assert.equal(sent[0]?.error.code, -32600)
})

test('malformed input never throws', async () => {
  const { rpc, sent } = connect()
  const inputs = ['', ' ', '\u0000', '{', '}', '[[]]', '[{}]', '{"__proto__":{"x":1},"jsonrpc":"2.0","id":1,"method":"identity.get"}',
    '{"jsonrpc":"2.0","id":1,"method":"identity.get","params":{"__proto__":{"a":1}}}', '['.repeat(100_000) + ']'.repeat(100_000),
    '{"jsonrpc":"2.0","id":1,"method":"channels.join","params":{"file":"a","uri":"b"}}', '"\\ud800"', '1'.repeat(1000)]
  for (const text of inputs) await rpc.receive(text)
  assert.equal(sent.length, inputs.length)
  for (const reply of sent.flat()) assert.ok('error' in (reply as object) || 'result' in (reply as object))
})

test('events are sent as notifications named after the event', async () => {
  const { sent, service } = connect()
  service.emit('message.received', message())
  assert.deepEqual(sent, [{ jsonrpc: '2.0', method: 'message.received', params: message() }])
})

test('close stops events and drops replies in flight', async () => {
  let release = (): void => {}
  const service = fixedService({ 'identity.get': () => new Promise(resolve => { release = () => { resolve({ publicKey: '', fingerprint: '', name: '', encrypted: false }) } }) })
  const { rpc, sent } = connect(service)
  const pending = rpc.receive('{"jsonrpc":"2.0","id":1,"method":"identity.get"}')
  await new Promise(resolve => setImmediate(resolve))
  rpc.close()
  release()
  await pending
  service.emit('channel.removed', { channelId: CHANNEL_ID })
  assert.deepEqual(sent, [])
  assert.equal(service.listenerCount(), 0)
})

test('a send that throws is logged, not thrown', async () => {
  const service = fixedService()
  const log: string[] = []
  const rpc = serveJsonRpc(service, () => { throw new Error('socket gone') }, createLogger({ write: l => { log.push(l) } }))
  await rpc.receive('{"jsonrpc":"2.0","id":1,"method":"identity.get"}')
  service.emit('channel.removed', { channelId: CHANNEL_ID })
  assert.equal(log.filter(l => l.includes('socket gone')).length, 2)
})

/** A service whose messages.list answers `count` messages of `textBytes` each, whatever it is asked. */
function bigLists (count: number, textBytes: number): FixedService {
  return fixedService({ 'messages.list': async () => Array.from({ length: count }, (): MessageInfo => ({ ...message(), text: 'x'.repeat(textBytes) })) })
}

test('a reply larger than the result limit is RESULT_TOO_LARGE, not sent', async () => {
  const sent = await ask(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'messages.list', params: { channelId: CHANNEL_ID } }), bigLists(1100, 8000)) as Array<{ id: number; error: { code: number; message: string; data: { code: string } } }>
  assert.equal(sent.length, 1)
  assert.deepEqual([sent[0]?.id, sent[0]?.error.code, sent[0]?.error.data.code], [1, -32000, 'RESULT_TOO_LARGE'])
  assert.match(sent[0]?.error.message ?? '', /the result of messages.list would be larger than 8 MiB/)
})

test('a batch whose replies together pass the batch limit answers the rest with BATCH_TOO_LARGE', async () => {
  const perReply = Math.floor(MAX_RESULT_BYTES * 0.6)
  const batch = Array.from({ length: 8 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'messages.list', params: { channelId: CHANNEL_ID } }))
  const texts: string[] = []
  const rpc = serveJsonRpc(bigLists(1, perReply), text => { texts.push(text) })
  await rpc.receive(JSON.stringify(batch))
  assert.equal(texts.length, 1)
  assert.ok(Buffer.byteLength(texts[0] ?? '') <= MAX_BATCH_REPLY_BYTES + 8 * 1024)
  const replies = JSON.parse(texts[0] ?? '') as Array<{ id: number; result?: unknown; error?: { data: { code: string } } }>
  assert.deepEqual(replies.map(r => [r.id, r.error?.data.code ?? 'ok']), [[0, 'ok'], [1, 'ok'], [2, 'ok'], [3, 'BATCH_TOO_LARGE'], [4, 'BATCH_TOO_LARGE'], [5, 'BATCH_TOO_LARGE'], [6, 'BATCH_TOO_LARGE'], [7, 'BATCH_TOO_LARGE']])
})

test('replies and notifications are told apart, and summaries carry the key that lets a newer one replace an older', async () => {
  const service = fixedService()
  const kinds: Outgoing[] = []
  const rpc = serveJsonRpc(service, (_text, what) => { kinds.push(what) })
  await rpc.receive('{"jsonrpc":"2.0","id":1,"method":"identity.get"}')
  service.emit('message.received', message())
  service.emit('channel.updated', { channelId: CHANNEL_ID, name: 'general', peerCount: 0, mode: 'open', trackers: [], unread: 0 })
  service.emit('identity.updated', { state: 'locked' })
  assert.deepEqual(kinds, [
    { kind: 'reply' },
    { kind: 'notification', coalesceKey: null },
    { kind: 'notification', coalesceKey: `channel.updated:${CHANNEL_ID}` },
    { kind: 'notification', coalesceKey: 'identity.updated' }
  ])
})
