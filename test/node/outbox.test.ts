import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Outbox } from '../../core/node/outbox.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { BitChatError } from '../../core/api/errors.ts'
import { createGroupMessage, type GroupMessage } from '../../core/wire/group-message.ts'
import { fromHex } from '../../core/codec/hex.ts'
import { channel, hexId, openTempStore } from '../store/store-fixture.ts'

const text = (t: string) => ({ kind: 'text' as const, text: t })

const C1 = hexId(1)

function setup (t: Parameters<typeof openTempStore>[0]) {
  const { store } = openTempStore(t)
  store.addChannel(channel(1))
  const identity = generateIdentity()
  const published: GroupMessage[] = []
  const commits: number[] = []
  const insert = store.insertMessages.bind(store)
  store.insertMessages = (channelId, messages) => { commits.push(messages.length); return insert(channelId, messages) }
  const outbox = new Outbox({ channelId: C1, channelIdBytes: fromHex(C1), identity, store, publish: m => { published.push(m) } })
  return { store, identity, outbox, published, commits }
}

test('messages sent in one turn are stored in one transaction, then published and answered in seq order', async t => {
  const { store, outbox, published, commits } = setup(t)
  const sent = await Promise.all(Array.from({ length: 50 }, (_, i) => outbox.send(text(`m${i}`))))
  assert.deepEqual(commits, [50])
  assert.deepEqual(sent.map(m => m.seq), Array.from({ length: 50 }, (_, i) => i + 1))
  assert.deepEqual(published.map(m => m.id), sent.map(m => m.id))
  assert.equal(store.countMessages(C1), 50)
  const later = await outbox.send(text('later'))
  assert.equal(later.seq, 51)
  assert.deepEqual(commits, [50, 1])
})

test('a send is answered only once its message is stored', async t => {
  const { store, outbox } = setup(t)
  const sending = outbox.send(text('hello'))
  assert.equal(store.countMessages(C1), 0)
  const message = await sending
  assert.equal(store.hasMessage(message.id), true)
})

test('the counter starts after what the store holds, and timestamps never go back', async t => {
  const { store, identity, outbox } = setup(t)
  const future = Date.now() + 60_000
  const old = createGroupMessage({ channelId: fromHex(C1), author: identity, seq: 7, timestamp: future, text: 'from before' })
  store.insertMessages(C1, [{ messageId: old.id, channelId: C1, author: old.author, seq: 7, timestamp: future, receivedAt: 0, kind: old.kind, body: old.text, raw: old.raw }])
  const [a, b] = await Promise.all([outbox.send(text('a')), outbox.send(text('b'))])
  assert.deepEqual([a.seq, b.seq], [8, 9])
  assert.ok(a.timestamp >= future && b.timestamp >= a.timestamp)
})

test('a batch the store refuses fails every send in it, stores nothing, and frees the seqs', async t => {
  const { store, outbox, published } = setup(t)
  const insert = store.insertMessages
  store.insertMessages = () => { throw BitChatError.diskFull() }
  const results = await Promise.allSettled([outbox.send(text('a')), outbox.send(text('b'))])
  assert.deepEqual(results.map(r => r.status), ['rejected', 'rejected'])
  assert.equal((results[0] as PromiseRejectedResult).reason.code, 'DISK_FULL')
  assert.deepEqual(published, [])
  store.insertMessages = insert
  assert.equal((await outbox.send(text('again'))).seq, 1)
})

test('our own message coming back from a peer moves the counter past it, and what waited is stored first', async t => {
  const { store, identity, outbox } = setup(t)
  const waiting = outbox.send(text('waiting'))
  const back = createGroupMessage({ channelId: fromHex(C1), author: identity, seq: 10, timestamp: Date.now(), text: 'from an earlier life' })
  outbox.ownMessageArrived()
  assert.equal((await waiting).seq, 1)
  store.insertMessages(C1, [{ messageId: back.id, channelId: C1, author: back.author, seq: 10, timestamp: back.timestamp, receivedAt: 0, kind: back.kind, body: back.text, raw: back.raw }])
  outbox.ownMessageArrived()
  assert.equal((await outbox.send(text('next'))).seq, 11)
})

test('a send whose seq an earlier message of ours already holds is refused, not published, and the counter is read anew', async t => {
  const { store, identity, outbox, published } = setup(t)
  const first = await outbox.send(text('first'))
  // Our message 2 from an earlier life lands in the store after the counter was read (the counter says 2 next).
  const earlier = createGroupMessage({ channelId: fromHex(C1), author: identity, seq: 2, timestamp: Date.now(), text: 'from an earlier life' })
  store.insertMessages(C1, [{ messageId: earlier.id, channelId: C1, author: earlier.author, seq: 2, timestamp: earlier.timestamp, receivedAt: 0, kind: earlier.kind, body: earlier.text, raw: earlier.raw }])
  await assert.rejects(outbox.send(text('clash')), (err: BitChatError) => err.code === 'INTERNAL' && /same number \(2/.test(err.message))
  assert.deepEqual(published.map(m => m.id), [first.id])
  assert.equal((await outbox.send(text('after'))).seq, 3)
})
