import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import { startNode, type BitChatNode } from '../../core/node/node.ts'
import { BitChatError } from '../../core/api/errors.ts'
import { silentLogger } from '../../core/log.ts'
import { tempDir } from '../helpers/testnet.ts'

const code = (expected: string) => (err: unknown) => err instanceof BitChatError && err.code === expected

async function withNode (fn: (node: BitChatNode, dir: string) => Promise<void>): Promise<void> {
  const dir = tempDir()
  const node = await startNode({ dataDir: dir, host: '127.0.0.1', createIdentity: true, name: 'io', dht: false, lan: false, portMapping: false, log: silentLogger })
  try { await fn(node, dir) } finally { await node.close() }
}

test('channels.create never overwrites an existing file', () => withNode(async (node, dir) => {
  const victim = path.join(dir, 'bitchat.db')
  const before = fs.readFileSync(victim)
  await assert.rejects(node.api['channels.create']({ name: 'x', trackers: [], file: victim }), code('FILE_ERROR'))
  assert.deepEqual(fs.readFileSync(victim).subarray(0, 16), before.subarray(0, 16))
  assert.deepEqual(await node.api['channels.list']({}), [])
}))

test('channels.join refuses a FIFO named .chat without blocking, and an oversized file', () => withNode(async (node, dir) => {
  const fifo = path.join(dir, 'trap.chat')
  execFileSync('mkfifo', [fifo])
  await assert.rejects(node.api['channels.join']({ file: fifo }), code('INVALID_CHAT_FILE'))
  const big = path.join(dir, 'big.chat')
  fs.writeFileSync(big, Buffer.alloc(70_000))
  await assert.rejects(node.api['channels.join']({ file: big }), code('INVALID_CHAT_FILE'))
  await assert.rejects(node.api['channels.join']({ file: path.join(dir, 'missing.chat') }), code('FILE_ERROR'))
}))

test('a .chat file written by channels.create joins on another node', () => withNode(async (node, dir) => {
  const file = path.join(dir, 'team.chat')
  const { channelId } = await node.api['channels.create']({ name: 'team', trackers: ['udp://127.0.0.1:1/announce'], file })
  await withNode(async (other) => {
    assert.deepEqual(await other.api['channels.join']({ file }), { channelId, name: 'team' })
  })
}))
