import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Priority } from '../../core/connection/mux-stream.ts'
import { MAX_MESSAGE_BYTES } from '../../core/connection/mux-messages.ts'
import { RELAY_LIMITS } from '../../core/relay/relay-limits.ts'
import { RejectCode } from '../../core/transfer/transfer-messages.ts'
import { admitRequest, FILE_STREAM_PRIORITY, refusal, UPLOAD_LIMITS, UploadQueue, uploadRate } from '../../core/transfer/upload-policy.ts'
import { fileShape, PIECE_BYTES } from '../../core/transfer/protocol-limits.ts'

test('whom we serve: a table', () => {
  const cases: Array<[string, Parameters<typeof refusal>[0], ReturnType<typeof refusal>]> = [
    ['a member, file shared', { member: true, blocked: false, sharing: true }, undefined],
    ['not in the conversation', { member: false, blocked: false, sharing: true }, RejectCode.DECLINED],
    ['blocked', { member: true, blocked: true, sharing: true }, RejectCode.DECLINED],
    ['the file no longer shared', { member: true, blocked: false, sharing: false }, RejectCode.CANCELLED],
    ['no longer shared, to a stranger', { member: false, blocked: false, sharing: false }, RejectCode.CANCELLED]
  ]
  for (const [what, context, expected] of cases) assert.equal(refusal(context), expected, what)
})

test('what becomes of a request: a table', () => {
  const { requestsPerPeer, requests } = UPLOAD_LIMITS
  const cases: Array<[string, Parameters<typeof admitRequest>[0], ReturnType<typeof admitRequest>]> = [
    ['held, nothing queued', { held: true, peerQueued: 0, queued: 0 }, 'serve'],
    ['not held', { held: false, peerQueued: 0, queued: 0 }, RejectCode.NOT_HELD],
    ['not held beats busy', { held: false, peerQueued: requestsPerPeer, queued: requests }, RejectCode.NOT_HELD],
    ['the peer\'s last slot', { held: true, peerQueued: requestsPerPeer - 1, queued: 0 }, 'serve'],
    ['the peer asked too much', { held: true, peerQueued: requestsPerPeer, queued: requestsPerPeer }, RejectCode.BUSY],
    ['everyone asked too much', { held: true, peerQueued: 0, queued: requests }, RejectCode.BUSY]
  ]
  for (const [what, load, expected] of cases) assert.equal(admitRequest(load), expected, what)
})

test('how fast we send: direct connections by credit alone, relayed ones within the circuit\'s rate', () => {
  assert.equal(uploadRate({ relayed: false, uploads: 3 }), undefined)
  const one = uploadRate({ relayed: true, uploads: 1 })!
  assert.equal(one.ratePerSecond, RELAY_LIMITS.bytesPerSecondPerCircuit * 0.75)
  assert.ok(one.ratePerSecond < RELAY_LIMITS.bytesPerSecondPerCircuit)
  assert.equal(one.burst, MAX_MESSAGE_BYTES)
  assert.equal(uploadRate({ relayed: true, uploads: 3 })!.ratePerSecond, one.ratePerSecond / 3)
  assert.equal(uploadRate({ relayed: true, uploads: 0 })!.ratePerSecond, one.ratePerSecond)
})

test('file streams go after chat and sync on the mux', () => {
  assert.equal(FILE_STREAM_PRIORITY, Priority.BULK)
  assert.ok(FILE_STREAM_PRIORITY < Priority.SYNC && FILE_STREAM_PRIORITY < Priority.CHAT)
})

// Chunks of 128 KiB: three pieces each; the last chunk 1,000 bytes.
const shape = fileShape(3 * 2 ** 17 + 1000, 17)

function drain (queue: UploadQueue): Array<[number, number]> {
  const sent: Array<[number, number]> = []
  for (let piece = queue.next(); piece !== undefined; piece = queue.next()) sent.push([piece.index, piece.offset])
  return sent
}

test('an upload queue sends each chunk\'s pieces in order, chunks in the order asked', () => {
  const q = new UploadQueue(shape)
  assert.equal(q.request(3, true, 0), 'serve')
  assert.equal(q.request(1, true, 1), 'serve')
  assert.equal(q.request(1, true, 2), 'serve')
  assert.equal(q.size, 2)
  assert.deepEqual(drain(q), [[3, 0], [1, 0], [1, PIECE_BYTES], [1, 2 * PIECE_BYTES]])
  assert.equal(q.size, 0)
})

test('an upload queue refuses what the policy refuses', () => {
  const q = new UploadQueue(shape)
  assert.equal(q.request(0, false, 0), RejectCode.NOT_HELD)
  assert.equal(q.request(0, true, UPLOAD_LIMITS.requests), RejectCode.BUSY)
  for (let i = 0; i < 4; i++) q.request(i, true, 0, { ...UPLOAD_LIMITS, requestsPerPeer: 2 })
  assert.equal(q.size, 2)
})

test('CANCEL takes a waiting request out, or stops the chunk being sent after the piece in flight', () => {
  const q = new UploadQueue(shape)
  for (const i of [0, 1, 2]) q.request(i, true, 0)
  assert.deepEqual(q.next(), { index: 0, offset: 0, length: PIECE_BYTES })
  q.cancel(0)
  q.cancel(2)
  q.cancel(3)
  assert.deepEqual(drain(q), [[1, 0], [1, PIECE_BYTES], [1, 2 * PIECE_BYTES]])
  q.request(0, true, 0)
  assert.deepEqual(drain(q)[0], [0, 0], 'asked again, a cancelled chunk starts from its first piece')
})
