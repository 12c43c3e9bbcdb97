// Names (a display name, a channel name) count characters as people do and carry no invisible
// characters that reorder or hide text, whichever way they enter: the API, a .chat file, a link.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BitChatError } from '../../core/api/errors.ts'
import { dispatch } from '../../core/api/service.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { createChannelDescriptor, encodeChatFile } from '../../core/channel/chat-file.ts'
import { encode, decode, type BDict } from '../../core/codec/bencode.ts'
import { startNode } from '../../core/node/node.ts'
import { silentLogger } from '../../core/log.ts'
import { tempDir } from '../helpers/testnet.ts'

const code = (expected: string) => (err: unknown) => err instanceof BitChatError && err.code === expected
const options = () => ({ dataDir: tempDir(), host: '127.0.0.1', dht: false as const, lan: false, portMapping: false, log: silentLogger, createIdentity: true, name: 'Ada' })

const DANGEROUS = ['Ada\u202Egnp.exe', 'Ada\u2066x\u2069', 'A\u200Fda', 'Ada\nBob', 'Ada\tX', 'Ada\u0000', 'Ada\u0085', '\u200B', 'Ada\u2028']

test('a display name of 64 emoji is 64 characters, not 128', async () => {
  const node = await startNode(options())
  try {
    const name = '😀'.repeat(64)
    assert.equal((await dispatch(node, 'identity.setName', { name }) as { name: string }).name, name)
    await assert.rejects(dispatch(node, 'identity.setName', { name: '😀'.repeat(65) }), code('INVALID_PARAMS'))
    const { channelId } = await dispatch(node, 'channels.create', { name: '🎲'.repeat(64), trackers: [] }) as { channelId: string }
    assert.equal((await node.api['channels.list']({})).find(c => c.channelId === channelId)?.name, '🎲'.repeat(64))
  } finally {
    await node.close()
  }
})

test('display and channel names with control or text-direction characters are refused with a plain reason', async () => {
  const node = await startNode(options())
  try {
    for (const name of DANGEROUS) {
      await assert.rejects(dispatch(node, 'identity.setName', { name }), (err: unknown) =>
        code('INVALID_PARAMS')(err) && /control characters|invisible characters/.test((err as Error).message), JSON.stringify(name))
      await assert.rejects(dispatch(node, 'channels.create', { name, trackers: [] }), code('INVALID_PARAMS'), JSON.stringify(name))
      await assert.rejects(dispatch(node, 'identity.create', { name }), code('INVALID_PARAMS'), JSON.stringify(name))
    }
    assert.equal((await node.api['identity.get']({})).name, 'Ada')
    assert.deepEqual(await node.api['channels.list']({}), [])
    // Right-to-left text itself is welcome; only the invisible controls are not.
    await dispatch(node, 'identity.setName', { name: 'שלום עולם' })
    await dispatch(node, 'identity.setName', { name: '👩‍👩‍👧 family' })
  } finally {
    await node.close()
  }
})

test('a .chat file whose channel name hides a direction override is refused on join', async () => {
  const node = await startNode(options())
  try {
    const valid = createChannelDescriptor({ name: 'fine', trackers: [], mode: 'open', creator: generateIdentity() })
    const dict = decode(encodeChatFile(valid)) as BDict
    dict.name = new TextEncoder().encode('invoice\u202Efdp.exe')
    const data = Buffer.from(encode(dict)).toString('base64')
    await assert.rejects(node.api['channels.join']({ data }), (err: unknown) => code('INVALID_CHAT_FILE')(err) && /invisible characters/.test((err as Error).message))
    assert.deepEqual(await node.api['channels.list']({}), [])
  } finally {
    await node.close()
  }
})
