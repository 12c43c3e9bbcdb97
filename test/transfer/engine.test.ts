// The transfer engine between real ConnectionPools on loopback TCP: a large file arrives
// byte-identical while chat on the same connection keeps flowing; a downloader stopped mid-way
// resumes from what it saved; several sources serve at once, one that corrupts chunks is dropped,
// and one that goes away is done without.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import { toHex } from '../../core/codec/hex.ts'
import { CloseCode } from '../../core/connection/close-codes.ts'
import { Priority, type CloseInfo } from '../../core/connection/mux-stream.ts'
import { fileShape } from '../../core/transfer/protocol-limits.ts'
import { FILE_PROTOCOL, HAVE } from '../../core/transfer/transfer-messages.ts'
import type { Downloader } from '../../core/transfer/downloader.ts'
import type { HashedFile } from '../../core/transfer/hash-worker.ts'
import { waitUntil } from '../helpers/wait.ts'
import { link, member, offerOf, randomFile, sha256File, type Member, type MemberOptions } from './engine-net.ts'

const MiB = 1024 * 1024
const CHAT_PROTOCOL = 'test/chat/1'

async function members (t: TestContext, count: number, opts: Partial<MemberOptions> = {}): Promise<{ roster: string[]; all: Member[] }> {
  const roster: string[] = []
  const all: Member[] = []
  for (let i = 0; i < count; i++) all.push(await member({ ...opts, roster }))
  t.after(async () => {
    for (const m of all) {
      await m.close()
      fs.rmSync(m.folder, { recursive: true, force: true })
    }
  })
  return { roster, all }
}

async function sharedFile (sender: Member, size: number): Promise<{ file: { path: string; sha256: string }; offer: HashedFile }> {
  const file = randomFile(sender.folder, 'original.bin', size)
  const offer = await offerOf(file.path)
  await sender.transfers.share({ ...offer, path: file.path })
  return { file, offer }
}

async function completion (downloader: Downloader): Promise<string> {
  return await new Promise((resolve, reject) => {
    downloader.once('completed', resolve)
    downloader.once('failed', reject)
  })
}

function verifiedBytes (downloader: Downloader): number {
  return downloader.store?.verifiedBytes ?? 0
}

test('a 200 MB file arrives byte-identical, and chat on the same connection is not held behind it', async (t) => {
  const arrivals: number[] = []
  let receiving: Downloader | undefined
  const { all: [sender, receiver] } = await members(t, 2, {
    onOtherStream: (connection, stream) => {
      if (stream.protocol !== CHAT_PROTOCOL) return false
      connection.accept(stream, { priority: Priority.CHAT })
      stream.on('message', () => { arrivals.push(receiving === undefined ? -1 : verifiedBytes(receiving)) })
      return true
    }
  })
  const size = 200 * 1000 * 1000
  const { file, offer } = await sharedFile(sender!, size)
  await link(receiver!, sender!)
  const chat = sender!.pool.connectionTo(receiver!.key)!.open(CHAT_PROTOCOL, new Uint8Array(0), { priority: Priority.CHAT })
  await new Promise<void>(resolve => { chat.once('open', () => { resolve() }) })

  receiving = await receiver!.transfers.startDownload({ manifest: offer.manifest, folder: receiver!.folder })
  const done = completion(receiving)
  let completedAt = -1
  void done.then(() => { completedAt = arrivals.length })
  await waitUntil(() => verifiedBytes(receiving!) > size / 4, 120_000, 'a quarter of the file')
  const sentAt = verifiedBytes(receiving)
  chat.send(Uint8Array.of(0x01, 0x68, 0x69))
  const saved = await done

  assert.equal(await sha256File(saved), file.sha256, 'the file as sent')
  assert.equal(arrivals.length, 1, 'the chat message arrived')
  assert.equal(completedAt, 1, 'before the transfer ended')
  assert.ok(arrivals[0]! >= sentAt && arrivals[0]! < size, `it arrived mid-transfer (${arrivals[0]} of ${size} bytes verified)`)
  assert.equal(receiving.chunksFrom.get(sender!.key), receiving.shape.chunkCount)
})

test('a downloader stopped mid-way resumes from what it saved: only the rest is asked for again', async (t) => {
  const { roster, all: [sender, receiver] } = await members(t, 2)
  const size = 96 * MiB
  const { file, offer } = await sharedFile(sender!, size)
  await link(receiver!, sender!)
  const first = await receiver!.transfers.startDownload({ manifest: offer.manifest, folder: receiver!.folder })
  await waitUntil(() => verifiedBytes(first) > size / 3, 120_000, 'a third of the file')
  await receiver!.close()
  const saved = first.store!.verifiedBytes
  assert.ok(saved < size, 'stopped before the end')

  const again = await member({ roster, identity: receiver!.identity })
  t.after(async () => { await again.close() })
  await link(again, sender!)
  const second = await again.transfers.startDownload({ manifest: offer.manifest, folder: receiver!.folder })
  const path = await completion(second)

  assert.equal(await sha256File(path), file.sha256)
  const chunkBytes = offer.manifest.chunkSize
  const missing = Math.ceil((size - saved) / chunkBytes)
  assert.ok(second.requestsSent >= missing, `asked for the ${missing} chunks missing (${second.requestsSent})`)
  assert.ok(second.requestsSent * chunkBytes < size - saved + size / 20, `re-fetched ${second.requestsSent} chunks of ${chunkBytes} bytes for ${size - saved} bytes missing`)
})

test('two sources serve one download at once; a third that corrupts chunks is dropped and the file is still right', async (t) => {
  const { all: [a, c, bad, receiver] } = await members(t, 4)
  const size = 48 * MiB
  const { file, offer } = await sharedFile(a!, size)
  await c!.transfers.share({ ...offer, path: file.path })
  // The same size, other bytes: every chunk it serves fails verification.
  const wrong = randomFile(bad!.folder, 'wrong.bin', size)
  await bad!.transfers.share({ ...offer, path: wrong.path })
  for (const source of [a!, c!, bad!]) await link(receiver!, source)

  const downloader = await receiver!.transfers.startDownload({ manifest: offer.manifest, folder: receiver!.folder })
  const dropped: Array<[string, string]> = []
  downloader.on('peer-dropped', (peer, reason) => { dropped.push([peer, reason]) })
  const path = await completion(downloader)

  assert.equal(await sha256File(path), file.sha256)
  assert.ok((downloader.chunksFrom.get(a!.key) ?? 0) > 0, 'the first source served chunks')
  assert.ok((downloader.chunksFrom.get(c!.key) ?? 0) > 0, 'the second source served chunks')
  assert.equal(downloader.chunksFrom.get(bad!.key), undefined, 'no chunk of the corrupting source kept')
  assert.deepEqual(dropped, [[bad!.key, 'bad-data']])
})

test('a source that goes away mid-way: the file completes from the other', async (t) => {
  const { all: [a, c, receiver] } = await members(t, 3)
  const size = 64 * MiB
  const { file, offer } = await sharedFile(a!, size)
  await c!.transfers.share({ ...offer, path: file.path })
  await link(receiver!, a!)
  await link(receiver!, c!)

  const downloader = await receiver!.transfers.startDownload({ manifest: offer.manifest, folder: receiver!.folder })
  const done = completion(downloader)
  await waitUntil(() => (downloader.chunksFrom.get(c!.key) ?? 0) > 0 && verifiedBytes(downloader) > size / 4, 120_000, 'both sources serving')
  await c!.close()
  const path = await done

  assert.equal(await sha256File(path), file.sha256)
  assert.deepEqual(receiver!.transfers.linkedPeers(toHex(offer.manifest.root)), [a!.key])
})

test('a shared file changed on disk stops being shared (FILE_ERROR), and its downloader is told', async (t) => {
  const { all: [sender, receiver] } = await members(t, 2)
  const { file, offer } = await sharedFile(sender!, 4 * MiB)
  const stopped = new Promise<[string, { code: string }]>(resolve => { sender!.transfers.once('share-stopped', (root, err) => { resolve([root, err]) }) })
  const later = new Date(Date.now() + 60_000)
  fs.utimesSync(file.path, later, later)
  await link(receiver!, sender!)
  const downloader = await receiver!.transfers.startDownload({ manifest: offer.manifest, folder: receiver!.folder })
  const dropped = new Promise<[string, string]>(resolve => { downloader.once('peer-dropped', (peer, reason) => { resolve([peer, reason]) }) })

  const [root, err] = await stopped
  assert.equal(root, toHex(offer.manifest.root))
  assert.equal(err.code, 'FILE_ERROR')
  assert.equal(sender!.transfers.shared(root), undefined)
  assert.deepEqual(await dropped, [sender!.key, 'declined'])
  assert.equal(downloader.chunksFrom.size, 0)
})

test('pause asks for nothing more until resumed; cancel removes what was fetched', async (t) => {
  const { all: [sender, receiver, other] } = await members(t, 3, { download: { tickMs: 50, progressMs: 10 } })
  const size = 64 * MiB
  const { file, offer } = await sharedFile(sender!, size)
  await link(receiver!, sender!)
  await link(other!, sender!)

  const downloader = await receiver!.transfers.startDownload({ manifest: offer.manifest, folder: receiver!.folder })
  await waitUntil(() => verifiedBytes(downloader) > size / 10, 60_000, 'a tenth of the file')
  await downloader.pause()
  assert.equal(downloader.state, 'paused')
  const asked = downloader.requestsSent
  let ticks = 0
  downloader.on('progress', () => { ticks++ })
  await waitUntil(() => ticks >= 5, 10_000, 'five ticks while paused')
  assert.equal(downloader.requestsSent, asked, 'nothing asked while paused')
  await downloader.resume()
  assert.equal(await sha256File(await completion(downloader)), file.sha256)

  const cancelled = await other!.transfers.startDownload({ manifest: offer.manifest, folder: other!.folder })
  await waitUntil(() => verifiedBytes(cancelled) > 0, 60_000, 'a first chunk')
  const gone = new Promise<void>(resolve => { cancelled.once('cancelled', () => { resolve() }) })
  await cancelled.cancel()
  await gone
  assert.equal(cancelled.state, 'cancelled')
  assert.deepEqual(fs.readdirSync(other!.folder), [], 'no part file left')
  assert.equal(other!.transfers.download(toHex(offer.manifest.root)), undefined)
})

test('a file of one chunk needs no piece layer: its root checks it', async (t) => {
  const { all: [sender, receiver, third] } = await members(t, 3)
  const { file, offer } = await sharedFile(sender!, 10_000)
  await link(receiver!, sender!)
  await link(third!, receiver!)
  const downloader = await receiver!.transfers.startDownload({ manifest: offer.manifest, folder: receiver!.folder })
  assert.equal(await sha256File(await completion(downloader)), file.sha256)
  assert.deepEqual(downloader.pieceLayer, offer.pieceLayer, 'the layer (the root) is known, for serving it on')
  // The receiver now serves it from where it saved it.
  const next = await third!.transfers.startDownload({ manifest: offer.manifest, folder: third!.folder })
  assert.equal(await sha256File(await completion(next)), file.sha256)
  assert.equal(next.chunksFrom.get(receiver!.key), 1)
})

test('a peer outside the conversation is refused (REJECT 3); a stream breaking the protocol is reset with code 5', async (t) => {
  const { roster, all: [sender, receiver] } = await members(t, 2)
  const { offer } = await sharedFile(sender!, 4 * MiB)
  // Its own view of the conversation names the sender; the sender's does not name it.
  const outsider = await member({ roster: [...roster] })
  t.after(async () => { await outsider.close() })
  await link(outsider, sender!)
  const downloader = await outsider.transfers.startDownload({ manifest: offer.manifest, folder: outsider.folder })
  assert.deepEqual(await new Promise(resolve => { downloader.once('peer-dropped', (peer, reason) => { resolve([peer, reason]) }) }), [sender!.key, 'declined'])

  await link(receiver!, sender!)
  const hostile = receiver!.pool.connectionTo(sender!.key)!.open(FILE_PROTOCOL, offer.manifest.root, { priority: Priority.BULK })
  const closed = new Promise<CloseInfo>(resolve => { hostile.once('close', resolve) })
  hostile.send(HAVE.encode({ index: 0 }, fileShape(offer.manifest.size, Math.log2(offer.manifest.chunkSize))))
  const info = await closed
  assert.equal(info.code, CloseCode.PROTOCOL_ERROR)
  assert.equal(info.remote, true)
  assert.match(info.text, /have before interest/)
})

test('a download whose writes fall behind holds its peers back (their credit kept) and still completes', async (t) => {
  // A budget of one chunk: every chunk waiting for the disk holds the streams until it is written.
  const { all: [a, c, receiver] } = await members(t, 3, { download: { writeBudgetBytes: 16 * 1024 } })
  const size = 16 * MiB
  const { file, offer } = await sharedFile(a!, size)
  await c!.transfers.share({ ...offer, path: file.path })
  await link(receiver!, a!)
  await link(receiver!, c!)
  const downloader = await receiver!.transfers.startDownload({ manifest: offer.manifest, folder: receiver!.folder })
  assert.equal(await sha256File(await completion(downloader)), file.sha256)
  assert.ok(downloader.holds > 0, 'the peers were held back')
  assert.equal(downloader.holding, false)
})
