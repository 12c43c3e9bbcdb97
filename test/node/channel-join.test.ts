// Joining is all or nothing: a channel is stored only once its room has started, and a join that
// fails anywhere leaves no row, no room and no announcer behind.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { generateIdentity } from '../../core/identity/identity.ts'
import { createChannelDescriptor } from '../../core/channel/chat-file.ts'
import { toChannelUri } from '../../core/channel/uri.ts'
import { BitChatError } from '../../core/api/errors.ts'
import { createTestnet, tempDir } from '../helpers/testnet.ts'

const creator = generateIdentity()

test('a join whose room cannot start stores nothing, and the same join works once the cause is gone', async () => {
  const net = await createTestnet()
  const dir = tempDir()
  try {
    const node = await net.node('ada', { dataDir: dir })
    const uri = toChannelUri(createChannelDescriptor({ name: 'doomed', trackers: [net.trackerUrl], mode: 'open', creator }))
    // A real failure inside the room's start: the table it reads its members from is gone.
    const db = new Database(path.join(dir, 'bitchat.db'))
    db.exec('ALTER TABLE members RENAME TO members_away')
    await assert.rejects(node.api['channels.join']({ uri }))
    assert.deepEqual(db.prepare('SELECT channel_id FROM channels').all(), [], 'no channel row is left behind')
    assert.deepEqual(await node.api['channels.list']({}), [])
    assert.deepEqual((await node.api['network.status']({})).channels, [])
    db.exec('ALTER TABLE members_away RENAME TO members')
    db.close()
    const { channelId } = await node.api['channels.join']({ uri })
    assert.deepEqual((await node.api['channels.list']({})).map(c => c.channelId), [channelId])
  } finally {
    await net.close()
  }
})

test('a join whose row cannot be stored leaves no room running', async () => {
  const net = await createTestnet()
  const dir = tempDir()
  try {
    const node = await net.node('ada', { dataDir: dir })
    const uri = toChannelUri(createChannelDescriptor({ name: 'unstorable', trackers: [net.trackerUrl], mode: 'open', creator }))
    const db = new Database(path.join(dir, 'bitchat.db'))
    db.exec("CREATE TRIGGER refuse_channels BEFORE INSERT ON channels BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")
    await assert.rejects(node.api['channels.join']({ uri }), (err: unknown) => !(err instanceof BitChatError) || err.code === 'INTERNAL')
    assert.deepEqual(await node.api['channels.list']({}), [])
    assert.deepEqual((await node.api['network.status']({})).channels, [])
    db.exec('DROP TRIGGER refuse_channels')
    db.close()
    await node.api['channels.join']({ uri })
    assert.equal((await node.api['channels.list']({})).length, 1)
  } finally {
    await net.close()
  }
})

test('a create whose join fails removes the .chat file it wrote', async () => {
  const net = await createTestnet()
  const dir = tempDir()
  try {
    const node = await net.node('ada', { dataDir: dir })
    const db = new Database(path.join(dir, 'bitchat.db'))
    db.exec("CREATE TRIGGER refuse_channels BEFORE INSERT ON channels BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")
    db.close()
    const file = path.join(tempDir(), 'team.chat')
    await assert.rejects(node.api['channels.create']({ name: 'team', trackers: [net.trackerUrl], file }))
    assert.equal(fs.existsSync(file), false)
  } finally {
    await net.close()
  }
})
