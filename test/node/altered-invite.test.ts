// An invite is believed only as a whole: a link or file whose name (or any other field) was
// edited after it was made is refused, since nothing else ties those fields to the channel.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { BitChatError } from '../../core/api/errors.ts'
import { channelIdOf } from '../../core/channel/keys.ts'
import { decode, encode, type BDict } from '../../core/codec/bencode.ts'
import { fromHex } from '../../core/codec/hex.ts'
import { silentLogger } from '../../core/log.ts'
import { startNode, type BitChatNode } from '../../core/node/node.ts'
import { Store } from '../../core/store/store.ts'
import { tempDir } from '../helpers/testnet.ts'

const refusedAsAltered = (expected: string) => (err: unknown) =>
  err instanceof BitChatError && err.code === expected && /altered/.test(err.message)

async function withTwoNodes (run: (creator: BitChatNode, joiner: BitChatNode) => Promise<void>): Promise<void> {
  const options = (name: string) => ({ dataDir: tempDir(), host: '127.0.0.1', dht: false as const, lan: false, log: silentLogger, createIdentity: true, name })
  const creator = await startNode(options('creator'))
  const joiner = await startNode(options('joiner'))
  try {
    await run(creator, joiner)
  } finally {
    await Promise.allSettled([creator.close(), joiner.close()])
  }
}

test('a link whose channel name was edited is refused as altered, and joins nothing', async () => {
  await withTwoNodes(async (creator, joiner) => {
    const { uri } = await creator.api['channels.create']({ name: 'family', trackers: [] })
    const edited = uri.replace('n=family', 'n=bank-support')
    assert.notEqual(edited, uri)
    await assert.rejects(joiner.api['channels.join']({ uri: edited }), refusedAsAltered('INVALID_URI'))
    assert.deepEqual(await joiner.api['channels.list']({}), [])
    assert.equal((await joiner.api['channels.join']({ uri })).name, 'family')
  })
})

test('a link with an edited mode, creator, member list, tracker or date is refused too', async () => {
  await withTwoNodes(async (creator, joiner) => {
    const joinerKey = (await joiner.api['identity.get']({})).publicKey
    const { uri } = await creator.api['channels.create']({ name: 'club', trackers: ['udp://t.example:1'], inviteOnly: true, members: [joinerKey] })
    const edits = [
      uri.replace('m=invite', 'm=open').replace(/&k=[0-9a-f]+/, ''),
      uri.replace(/&k=[0-9a-f]+/, `&k=${'e'.repeat(64)}`),
      uri.replace(/c=[0-9a-f]+/, `c=${'d'.repeat(64)}`),
      uri.replace('t.example', 'u.example'),
      uri.replace(/t=(\d+)/, (_, t: string) => `t=${Number(t) + 1}`)
    ]
    for (const edited of edits) {
      assert.notEqual(edited, uri)
      await assert.rejects(joiner.api['channels.join']({ uri: edited }), refusedAsAltered('INVALID_URI'), edited)
    }
  })
})

test('a .chat file whose name was edited is refused as altered', async () => {
  await withTwoNodes(async (creator, joiner) => {
    const { channelId } = await creator.api['channels.create']({ name: 'family', trackers: [] })
    const dict = decode(Buffer.from((await creator.api['channels.share']({ channelId })).data, 'base64')) as BDict
    dict.name = new TextEncoder().encode('bank-support')
    await assert.rejects(joiner.api['channels.join']({ data: Buffer.from(encode(dict)).toString('base64') }), refusedAsAltered('INVALID_CHAT_FILE'))
    assert.deepEqual(await joiner.api['channels.list']({}), [])
  })
})

test('an invite in the unchecked format 1 is refused with what to do', async () => {
  await withTwoNodes(async (creator, joiner) => {
    const { uri } = await creator.api['channels.create']({ name: 'family', trackers: [] })
    const old = uri.replace('v=2', 'v=1').replace(/&x=[0-9a-f]+/, '')
    await assert.rejects(joiner.api['channels.join']({ uri: old }), (err: unknown) =>
      err instanceof BitChatError && err.code === 'INVALID_URI' && /older BitChat/.test(err.message) && /new invite/.test(err.message))
  })
})

test('a channel stored in format 1 by an earlier version still opens, and is shared in the checked format', async () => {
  const dataDir = tempDir()
  const options = { dataDir, host: '127.0.0.1', dht: false as const, lan: false, log: silentLogger, createIdentity: true, name: 'Ada' }
  const first = await startNode(options)
  const creator = (await first.api['identity.get']({})).publicKey
  await first.close()
  const secret = new Uint8Array(32).fill(5)
  const v1: BDict = { bitchat: 1, name: new TextEncoder().encode('old times'), 'announce-list': [], secret, mode: new TextEncoder().encode('open'), created: 1_700_000_000, creator: fromHex(creator) }
  const store = Store.open(path.join(dataDir, 'bitchat.db'))
  store.addChannel({ channelId: channelIdOf(secret), name: 'old times', chatFile: encode(v1), joinedAt: Date.now(), lastReadAt: 0 })
  store.close()
  const node = await startNode(options)
  try {
    assert.deepEqual((await node.api['channels.list']({})).map(c => c.name), ['old times'])
    const share = await node.api['channels.share']({ channelId: channelIdOf(secret) })
    assert.match(share.uri, /^bitchat:\?v=2&/)
    assert.equal((decode(Buffer.from(share.data, 'base64')) as BDict).bitchat, 2)
  } finally {
    await node.close()
  }
})
