// An invite is believed only as its creator signed it: a link or file whose name, members or other
// signed field was edited after it was made is refused, even when the editor holds the channel's
// secret (every member does); its trackers are hints anyone may change.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { BitChatError } from '../../core/api/errors.ts'
import { channelIdOf } from '../../core/channel/keys.ts'
import { decode, encode, type BDict } from '../../core/codec/bencode.ts'
import { fromHex, toHex } from '../../core/codec/hex.ts'
import { parseChannelUri, toChannelUri } from '../../core/channel/uri.ts'
import { signGenesis } from '../../core/channel/genesis.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { silentLogger } from '../../core/log.ts'
import { startNode, type BitChatNode } from '../../core/node/node.ts'
import { Store } from '../../core/store/store.ts'
import { tempDir } from '../helpers/testnet.ts'

const refusedAsAltered = (expected: string) => (err: unknown) =>
  err instanceof BitChatError && err.code === expected && /altered/.test(err.message)

async function withTwoNodes (run: (creator: BitChatNode, joiner: BitChatNode) => Promise<void>): Promise<void> {
  const options = (name: string) => ({ dataDir: tempDir(), host: '127.0.0.1', dht: false as const, lan: false, portMapping: false, log: silentLogger, createIdentity: true, name })
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
    await assert.rejects(joiner.api['channels.join']({ uri: edited }), refusedAsAltered('INVITATION_ALTERED'))
    assert.deepEqual(await joiner.api['channels.list']({}), [])
    assert.equal((await joiner.api['channels.join']({ uri })).name, 'family')
  })
})

test('a link with an edited mode, creator, member list or date is refused too', async () => {
  await withTwoNodes(async (creator, joiner) => {
    const joinerKey = (await joiner.api['identity.get']({})).publicKey
    const { uri } = await creator.api['channels.create']({ name: 'club', trackers: ['udp://t.example:1'], inviteOnly: true, members: [joinerKey] })
    const edits = [
      uri.replace('m=invite', 'm=open').replace(/&k=[0-9a-f]+/, ''),
      uri.replace(/&k=[0-9a-f]+/, `&k=${'e'.repeat(64)}`),
      uri.replace(/c=[0-9a-f]+/, `c=${'d'.repeat(64)}`),
      uri.replace(/t=(\d+)/, (_, t: string) => `t=${Number(t) + 1}`)
    ]
    for (const edited of edits) {
      assert.notEqual(edited, uri)
      await assert.rejects(joiner.api['channels.join']({ uri: edited }), refusedAsAltered('INVITATION_ALTERED'), edited)
    }
  })
})

test('a member holding the secret cannot hand on the channel under another name or member list', async () => {
  await withTwoNodes(async (creator, joiner) => {
    const member = generateIdentity()
    const { uri } = await creator.api['channels.create']({ name: 'club', trackers: [], inviteOnly: true, members: [toHex(member.publicKey)] })
    const real = parseChannelUri(uri)
    // The member signs a genesis of their own, but the creator field still names the creator.
    const minted = signGenesis({ ...real, name: 'bank support', members: [...real.members, generateIdentity().publicKey], creator: member.publicKey, signature: null }, member)
    const forged = toChannelUri({ ...minted, creator: real.creator })
    await assert.rejects(joiner.api['channels.join']({ uri: forged }), refusedAsAltered('INVITATION_ALTERED'))
    assert.deepEqual(await joiner.api['channels.list']({}), [])
  })
})

test('a link whose trackers were changed still joins the same channel under its signed name', async () => {
  await withTwoNodes(async (creator, joiner) => {
    const { uri, channelId } = await creator.api['channels.create']({ name: 'club', trackers: ['udp://t.example:1'] })
    const retracked = uri.replace('t.example', 'u.example')
    assert.notEqual(retracked, uri)
    const joined = await joiner.api['channels.join']({ uri: retracked })
    assert.deepEqual(joined, { channelId, name: 'club' })
  })
})

test('a .chat file whose name was edited is refused as altered', async () => {
  await withTwoNodes(async (creator, joiner) => {
    const { channelId } = await creator.api['channels.create']({ name: 'family', trackers: [] })
    const dict = decode(Buffer.from((await creator.api['channels.share']({ channelId })).data, 'base64')) as BDict
    dict.name = new TextEncoder().encode('bank-support')
    await assert.rejects(joiner.api['channels.join']({ data: Buffer.from(encode(dict)).toString('base64') }), refusedAsAltered('INVITATION_ALTERED'))
    assert.deepEqual(await joiner.api['channels.list']({}), [])
  })
})

test('an invite in the unsigned formats 1 and 2 is refused with what to do', async () => {
  await withTwoNodes(async (creator, joiner) => {
    const { uri } = await creator.api['channels.create']({ name: 'family', trackers: [] })
    for (const old of [uri.replace('v=3', 'v=1').replace(/&sig=[0-9a-f]+/, ''), uri.replace('v=3', 'v=2').replace(/&sig=[0-9a-f]+/, `&x=${'0'.repeat(32)}`)]) {
      await assert.rejects(joiner.api['channels.join']({ uri: old }), (err: unknown) =>
        err instanceof BitChatError && err.code === 'INVALID_URI' && /older BitChat/.test(err.message) && /new invite/.test(err.message))
    }
  })
})

/** Stores `file` as a channel in `dataDir`, the way an earlier version did. */
function storeOld (dataDir: string, secret: Uint8Array, name: string, file: Uint8Array): void {
  const store = Store.open(path.join(dataDir, 'bitchat.db'))
  store.addChannel({ channelId: channelIdOf(secret), name, chatFile: file, joinedAt: Date.now(), lastReadAt: 0 })
  store.close()
}

test('a channel stored in format 2 by a node not its creator still opens, but cannot be shared: no one could check it', async () => {
  const dataDir = tempDir()
  const options = { dataDir, host: '127.0.0.1', dht: false as const, lan: false, portMapping: false, log: silentLogger, createIdentity: true, name: 'Ada' }
  await (await startNode(options)).close()
  const secret = new Uint8Array(32).fill(6)
  const v2: BDict = { bitchat: 2, name: new TextEncoder().encode('their club'), 'announce-list': [], secret, mode: new TextEncoder().encode('open'), created: 1_700_000_000, creator: generateIdentity().publicKey, check: new Uint8Array(16) }
  storeOld(dataDir, secret, 'their club', encode(v2))
  const node = await startNode(options)
  try {
    assert.deepEqual((await node.api['channels.list']({})).map(c => c.name), ['their club'])
    await assert.rejects(node.api['channels.share']({ channelId: channelIdOf(secret) }), (err: unknown) =>
      err instanceof BitChatError && err.code === 'FORBIDDEN' && /ask its creator/.test(err.message))
  } finally {
    await node.close()
  }
})

test('a channel stored in format 1 by an earlier version still opens, and its creator shares it signed, in format 3', async () => {
  const dataDir = tempDir()
  const options = { dataDir, host: '127.0.0.1', dht: false as const, lan: false, portMapping: false, log: silentLogger, createIdentity: true, name: 'Ada' }
  const first = await startNode(options)
  const creator = (await first.api['identity.get']({})).publicKey
  await first.close()
  const secret = new Uint8Array(32).fill(5)
  const v1: BDict = { bitchat: 1, name: new TextEncoder().encode('old times'), 'announce-list': [], secret, mode: new TextEncoder().encode('open'), created: 1_700_000_000, creator: fromHex(creator) }
  storeOld(dataDir, secret, 'old times', encode(v1))
  const node = await startNode(options)
  try {
    assert.deepEqual((await node.api['channels.list']({})).map(c => c.name), ['old times'])
    const share = await node.api['channels.share']({ channelId: channelIdOf(secret) })
    assert.match(share.uri, /^bitchat:\?v=3&/)
    assert.equal(parseChannelUri(share.uri).name, 'old times')
    assert.equal((decode(Buffer.from(share.data, 'base64')) as BDict).bitchat, 3)
  } finally {
    await node.close()
  }
})
