import { test } from 'node:test'
import assert from 'node:assert/strict'
import { bytesEqual } from '../../core/codec/bytes.ts'
import { DownloadSession, REQUEST_TIMEOUT_MS, type DownloadCommand } from '../../core/transfer/download-session.ts'
import { bitfieldBytes, fileShape, PIECE_BYTES, setChunk } from '../../core/transfer/protocol-limits.ts'
import { RejectCode } from '../../core/transfer/transfer-messages.ts'
import { randomFile, TransferNet, type Peer } from './transfer-net.ts'

// 40 chunks of 64 KiB (two pieces each), the last one 1,000 bytes.
const shape = fileShape(39 * 65_536 + 1000, 16)
const file = randomFile(shape.size, 42)

function chunksServedBy (d: Peer, source: string): number {
  return d.commands.filter(c => c.type === 'write-chunk' && c.peer === source).length
}

function assertWhole (d: Peer): void {
  assert.equal(d.session!.state, 'done')
  assert.ok(bytesEqual(d.store.bytes, file), 'the file arrived byte for byte')
  assert.equal(d.commands.filter(c => c.type === 'done').length, 1)
}

test('a file completes from two sources at once, each chunk fetched once', () => {
  const net = new TransferNet(shape, file)
  net.source('a')
  net.source('b')
  const d = net.downloader('d')
  net.connect('d', 'a')
  net.connect('d', 'b')
  assert.ok(net.run(2000) < 2000)
  assertWhole(d)
  assert.ok(chunksServedBy(d, 'a') > 5 && chunksServedBy(d, 'b') > 5, `a ${chunksServedBy(d, 'a')}, b ${chunksServedBy(d, 'b')}`)
  assert.ok(d.store.writes.every(n => n === 1))
  assert.equal(d.session!.progress().verifiedBytes, shape.size)
})

test('a source that corrupts chunks is caught, dropped, and the file completes from the other', () => {
  const net = new TransferNet(shape, file)
  net.source('good')
  net.source('bad', { corrupt: true })
  const d = net.downloader('d')
  net.connect('d', 'good')
  net.connect('d', 'bad')
  assert.ok(net.run(2000) < 2000)
  assertWhole(d)
  assert.deepEqual(d.commands.filter(c => c.type === 'drop-peer'), [{ type: 'drop-peer', peer: 'bad', reason: 'bad-data' }])
  assert.equal(d.links.has('bad'), false)
  // Two bad chunks, then nothing more asked of it.
  assert.equal(chunksServedBy(d, 'bad'), 2)
})

test('a peer dropped for bad data is not taken back when it comes again', () => {
  const net = new TransferNet(shape, file)
  net.source('good')
  net.source('bad', { corrupt: true })
  const d = net.downloader('d')
  net.connect('d', 'bad')
  net.run(200, () => !d.links.has('bad'))
  net.connect('d', 'bad')
  assert.equal(d.links.has('bad'), false)
  net.connect('d', 'good')
  assert.ok(net.run(2000) < 2000)
  assertWhole(d)
})

test('a source leaving mid-way loses nothing: the rest comes from the other, no chunk fetched twice', () => {
  const net = new TransferNet(shape, file)
  net.source('a')
  net.source('b')
  const d = net.downloader('d')
  net.connect('d', 'a')
  net.connect('d', 'b')
  net.run(2000, () => d.session!.progress().verifiedBytes > shape.size / 3)
  const fromA = chunksServedBy(d, 'a')
  net.disconnect('d', 'a')
  assert.ok(net.run(2000) < 2000)
  assertWhole(d)
  assert.equal(chunksServedBy(d, 'a'), fromA)
  assert.ok(d.store.writes.every(n => n === 1))
})

test('three sessions: a downloader serves what it verified to another one while both download', () => {
  const net = new TransferNet(shape, file)
  net.source('seed', { requestsPerPeer: 2 })
  const first = net.downloader('first', undefined, 1)
  const second = net.downloader('second', undefined, 2)
  net.connect('first', 'seed')
  net.connect('second', 'seed')
  net.connect('second', 'first')
  assert.ok(net.run(4000) < 4000)
  assertWhole(first)
  assertWhole(second)
  assert.ok(chunksServedBy(second, 'first') > 0, 'the first downloader served the second')
  assert.ok(first.piecesServed > 0)
})

test('a resumed download starts from its bitfield and fetches only the rest', () => {
  const held = new Uint8Array(bitfieldBytes(shape))
  for (let i = 0; i < shape.chunkCount; i += 2) setChunk(held, i)
  const net = new TransferNet(shape, file)
  net.source('a')
  const d = net.downloader('d', held)
  assert.equal(d.session!.progress().verifiedBytes, 20 * 65_536)
  net.connect('d', 'a')
  assert.ok(net.run(2000) < 2000)
  assertWhole(d)
  const asked = d.commands.flatMap(c => c.type === 'request' ? [c.index] : [])
  assert.ok(asked.every(i => i % 2 === 1), `asked for ${asked.join()}`)
  assert.equal(d.bytesReceived, 19 * 65_536 + 1000)
})

test('a download resumed with every chunk is done at once', () => {
  const held = new Uint8Array(bitfieldBytes(shape))
  for (let i = 0; i < shape.chunkCount; i++) setChunk(held, i)
  const session = new DownloadSession({ shape, held, now: () => 0 })
  assert.deepEqual(session.start(), [{ type: 'done' }])
  assert.deepEqual(session.handle({ type: 'tick' }), [])
})

test('pause cancels what is asked and asks nothing more; resume goes on to the end', () => {
  const net = new TransferNet(shape, file)
  net.source('a')
  const d = net.downloader('d')
  net.connect('d', 'a')
  net.run(2000, () => d.session!.progress().verifiedBytes > 0)
  const before = d.commands.length
  net.handle(d, { type: 'pause' })
  const onPause = d.commands.slice(before)
  assert.ok(onPause.some(c => c.type === 'cancel'))
  assert.deepEqual(onPause.at(-1), { type: 'paused', reason: 'user' })
  const asked = d.commands.filter(c => c.type === 'request').length
  net.run(50, () => false)
  assert.equal(d.commands.filter(c => c.type === 'request').length, asked)
  assert.equal(d.session!.state, 'paused')
  net.handle(d, { type: 'resume' })
  assert.ok(net.run(2000) < 2000)
  assertWhole(d)
})

test('cancel ends the download: its requests cancelled, later events ignored', () => {
  const net = new TransferNet(shape, file)
  net.source('a')
  const d = net.downloader('d')
  net.connect('d', 'a')
  net.step(0)
  const before = d.commands.length
  net.handle(d, { type: 'cancel' })
  const onCancel = d.commands.slice(before)
  assert.ok(onCancel.some(c => c.type === 'cancel'))
  assert.deepEqual(onCancel.at(-1), { type: 'failed', code: 'cancelled' })
  assert.deepEqual(d.session!.handle({ type: 'resume' }), [])
  assert.equal(d.session!.state, 'cancelled')
})

test('a store that cannot write pauses the download; resumed, the chunk it lost is fetched again', () => {
  const net = new TransferNet(shape, file)
  net.source('a')
  const d = net.downloader('d')
  net.connect('d', 'a')
  d.store.failWrites = 'disk-full'
  net.run(2000, () => d.session!.state === 'paused')
  assert.deepEqual(d.commands.find(c => c.type === 'paused'), { type: 'paused', reason: 'store', code: 'disk-full' })
  d.store.failWrites = undefined
  net.handle(d, { type: 'resume' })
  assert.ok(net.run(2000) < 2000)
  assertWhole(d)
})

test('a busy source is asked again after a while', () => {
  const net = new TransferNet(shape, file)
  const a = net.source('a', { requestsPerPeer: 1 })
  const d = net.downloader('d')
  net.connect('d', 'a')
  assert.ok(net.run(4000) < 4000)
  assertWhole(d)
  assert.ok(a.busyAnswers > 0)
  // Told BUSY, the session keeps to what the source queued instead of asking again and again.
  assert.ok(a.busyAnswers < 10, `${a.busyAnswers} BUSY answers`)
})

test('a source that stops sending has its requests cancelled after the timeout, and the file completes from another', () => {
  const net = new TransferNet(shape, file)
  net.source('stuck', { silent: true })
  const d = net.downloader('d')
  net.connect('d', 'stuck')
  const asked = d.commands.filter(c => c.type === 'request').length
  assert.ok(asked > 0)
  net.run(REQUEST_TIMEOUT_MS / 100 + 10, () => false)
  assert.equal(d.commands.filter(c => c.type === 'cancel' && c.peer === 'stuck').length, asked)
  assert.equal(d.commands.filter(c => c.type === 'request').length, asked, 'not asked again at once')
  net.source('a')
  net.connect('d', 'a')
  assert.ok(net.run(2000) < 2000)
  assertWhole(d)
})

function session (): { s: DownloadSession, out: (e: Parameters<DownloadSession['handle']>[0]) => DownloadCommand[] } {
  const s = new DownloadSession({ shape, now: () => 0 })
  return { s, out: e => s.handle(e) }
}

const full = (): Uint8Array => new Uint8Array(bitfieldBytes(shape)).fill(0xff).map((b, i, a) => i === a.length - 1 ? 0xff << (a.length * 8 - shape.chunkCount) & 0xff : b)

test('a piece never asked for drops the peer', () => {
  const { out } = session()
  const asked = new Set(out({ type: 'peer-joined', peer: 'p', bitfield: full() }).flatMap(c => c.type === 'request' ? [c.index] : []))
  const unasked = [...Array(shape.chunkCount).keys()].find(i => !asked.has(i))!
  assert.deepEqual(out({ type: 'piece', peer: 'p', index: unasked, offset: 0, data: new Uint8Array(PIECE_BYTES) }), [{ type: 'drop-peer', peer: 'p', reason: 'protocol' }])
})

test('pieces of a chunk out of order drop the peer', () => {
  // Chunks of 256 KiB: five pieces each.
  const big = fileShape(4 * 2 ** 18, 18)
  const s = new DownloadSession({ shape: big, now: () => 0 })
  const [first] = s.handle({ type: 'peer-joined', peer: 'p', bitfield: Uint8Array.of(0xf0) }).filter(c => c.type === 'request')
  const piece = (offset: number): DownloadCommand[] => s.handle({ type: 'piece', peer: 'p', index: first!.index, offset, data: new Uint8Array(PIECE_BYTES) })
  assert.deepEqual(piece(0), [])
  assert.deepEqual(piece(PIECE_BYTES), [])
  assert.deepEqual(piece(3 * PIECE_BYTES), [{ type: 'drop-peer', peer: 'p', reason: 'protocol' }])
})

test('a chunk started again from its first piece is taken from there', () => {
  const big = fileShape(4 * 2 ** 18, 18)
  const s = new DownloadSession({ shape: big, now: () => 0 })
  const [first] = s.handle({ type: 'peer-joined', peer: 'p', bitfield: Uint8Array.of(0xf0) }).filter(c => c.type === 'request')
  const send = (offset: number, length = PIECE_BYTES): DownloadCommand[] => s.handle({ type: 'piece', peer: 'p', index: first!.index, offset, data: new Uint8Array(length).fill(offset === 0 ? 1 : 2) })
  send(0)
  send(PIECE_BYTES)
  for (let i = 0; i < 4; i++) assert.deepEqual(send(i * PIECE_BYTES), [])
  const written = send(4 * PIECE_BYTES, 2 ** 18 - 4 * PIECE_BYTES)
  assert.deepEqual(written.map(c => c.type), ['write-chunk'])
})

test('pieces of a chunk we cancelled are dropped quietly', () => {
  const { out } = session()
  const [first] = out({ type: 'peer-joined', peer: 'p', bitfield: full() }).filter(c => c.type === 'request')
  out({ type: 'pause' })
  assert.deepEqual(out({ type: 'piece', peer: 'p', index: first!.index, offset: 0, data: new Uint8Array(PIECE_BYTES) }), [])
})

test('a peer that declines, or cancels the file, is dropped and its requests asked of others', () => {
  for (const code of [RejectCode.DECLINED, RejectCode.CANCELLED]) {
    const { out } = session()
    const asked = out({ type: 'peer-joined', peer: 'p', bitfield: full() }).flatMap(c => c.type === 'request' ? [c.index] : [])
    assert.deepEqual(out({ type: 'rejected', peer: 'p', code }), [{ type: 'drop-peer', peer: 'p', reason: 'declined' }])
    // q holds only the chunks asked of p: it is asked for all of them.
    const some = new Uint8Array(bitfieldBytes(shape))
    for (const i of asked) setChunk(some, i)
    const again = out({ type: 'peer-joined', peer: 'q', bitfield: some }).flatMap(c => c.type === 'request' && c.peer === 'q' ? [c.index] : [])
    assert.deepEqual(again.sort(), [...asked].sort())
  }
})

test('NOT_HELD: the chunk is asked of someone else, not of that peer again', () => {
  const { out } = session()
  const requests = out({ type: 'peer-joined', peer: 'p', bitfield: full() }).filter(c => c.type === 'request')
  const index = requests[0]!.index
  assert.ok(!out({ type: 'rejected', peer: 'p', code: RejectCode.NOT_HELD, index }).some(c => c.type === 'request' && c.index === index))
  const again = out({ type: 'peer-joined', peer: 'q', bitfield: full() })
  assert.ok(again.some(c => c.type === 'request' && c.peer === 'q' && c.index === index))
})

test('without the piece layer, a download asks one peer for all of it, a message\'s worth a request, before any chunk', () => {
  const many = fileShape(2500 * 2 ** 14, 14)
  const s = new DownloadSession({ shape: many, layerHeld: false, now: () => 0 })
  assert.deepEqual(s.handle({ type: 'peer-joined', peer: 'empty', bitfield: new Uint8Array(bitfieldBytes(many)) }), [])
  const asked = s.handle({ type: 'peer-joined', peer: 'p', bitfield: new Uint8Array(bitfieldBytes(many)).fill(0xff).map((b, i, a) => i === a.length - 1 ? 0xf0 : b) })
  assert.deepEqual(asked, [
    { type: 'request-layer', peer: 'p', first: 0, count: 1024 },
    { type: 'request-layer', peer: 'p', first: 1024, count: 1024 },
    { type: 'request-layer', peer: 'p', first: 2048, count: 452 }
  ])
  const hashes = (n: number): Uint8Array[] => Array.from({ length: n }, () => new Uint8Array(32))
  assert.deepEqual(s.handle({ type: 'layer', peer: 'p', first: 1024, hashes: hashes(1024) }), [])
  assert.deepEqual(s.handle({ type: 'layer', peer: 'p', first: 0, hashes: hashes(1024) }), [])
  const check = s.handle({ type: 'layer', peer: 'p', first: 2048, hashes: hashes(452) })
  assert.equal(check.length, 1)
  assert.equal(check[0]!.type === 'check-layer' && check[0].hashes.length, 2500)
  assert.ok(s.handle({ type: 'layer-verified' }).every(c => c.type === 'request' && c.peer === 'p'))
})

test('layer messages not asked for drop the peer: another peer, a range twice, a range not asked', () => {
  const many = fileShape(2500 * 2 ** 14, 14)
  const field = new Uint8Array(bitfieldBytes(many)).fill(0xff).map((b, i, a) => i === a.length - 1 ? 0xf0 : b)
  const hashes = (n: number): Uint8Array[] => Array.from({ length: n }, () => new Uint8Array(32))
  const cases: Array<[string, Array<{ peer: string; first: number; n: number }>, string]> = [
    ['from a peer not asked', [{ peer: 'q', first: 0, n: 1024 }], 'q'],
    ['a range twice', [{ peer: 'p', first: 0, n: 1024 }, { peer: 'p', first: 0, n: 1024 }], 'p'],
    ['a range cut differently', [{ peer: 'p', first: 1, n: 1024 }], 'p'],
    ['a range of another length', [{ peer: 'p', first: 0, n: 10 }], 'p']
  ]
  for (const [what, parts, culprit] of cases) {
    const s = new DownloadSession({ shape: many, layerHeld: false, now: () => 0 })
    s.handle({ type: 'peer-joined', peer: 'p', bitfield: field })
    s.handle({ type: 'peer-joined', peer: 'q', bitfield: field })
    const out = parts.flatMap(({ peer, first, n }) => s.handle({ type: 'layer', peer, first, hashes: hashes(n) }))
    assert.deepEqual(out.filter(c => c.type === 'drop-peer'), [{ type: 'drop-peer', peer: culprit, reason: 'protocol' }], what)
  }
})

test('a peer giving a bad piece layer is dropped, and the layer and the file come from another', () => {
  const net = new TransferNet(shape, file)
  net.source('liar', { corruptLayer: true })
  net.source('none', { noLayer: true })
  net.source('good')
  const d = net.downloader('d', undefined, 1, false)
  net.connect('d', 'liar')
  net.connect('d', 'none')
  net.connect('d', 'good')
  assert.ok(net.run(2000) < 2000)
  assertWhole(d)
  const drops = d.commands.filter(c => c.type === 'drop-peer')
  assert.deepEqual(drops, [{ type: 'drop-peer', peer: 'liar', reason: 'bad-data' }, { type: 'drop-peer', peer: 'none', reason: 'declined' }])
  assert.equal(d.commands.filter(c => c.type === 'check-layer').length, 2)
  const firstRequest = d.commands.findIndex(c => c.type === 'request')
  const verifiedAt = d.commands.findLastIndex(c => c.type === 'check-layer')
  assert.ok(firstRequest > verifiedAt, 'no chunk asked before the layer was checked')
})

test('a peer that does not answer for the layer is dropped as stalled and another asked', () => {
  const net = new TransferNet(shape, file)
  net.source('mute', { silent: true })
  const d = net.downloader('d', undefined, 1, false)
  net.connect('d', 'mute')
  net.run(REQUEST_TIMEOUT_MS / 100 + 10, () => false)
  assert.ok(d.commands.some(c => c.type === 'drop-peer' && c.peer === 'mute' && c.reason === 'stalled'))
  net.source('good')
  net.connect('d', 'good')
  assert.ok(net.run(2000) < 2000)
  assertWhole(d)
})
