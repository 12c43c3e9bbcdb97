import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { startNode } from '../../core/node/node.ts'
import { BitChatError } from '../../core/api/errors.ts'
import { silentLogger } from '../../core/log.ts'
import { tempDir } from '../helpers/testnet.ts'

const options = (dataDir: string) => ({ dataDir, host: '127.0.0.1', createIdentity: true, name: 'lock', dht: false as const, lan: false, portMapping: false, log: silentLogger })

test('a second node on the same data folder is refused with DATA_DIR_IN_USE', async () => {
  const dir = tempDir()
  const first = await startNode(options(dir))
  try {
    await assert.rejects(startNode(options(dir)), (err: unknown) => err instanceof BitChatError && err.code === 'DATA_DIR_IN_USE')
  } finally {
    await first.close()
  }
  const again = await startNode(options(dir))
  await again.close()
})

test('a lock left by a process that is gone is taken over', async () => {
  const dir = tempDir()
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
  fs.writeFileSync(path.join(dir, 'bitchat.lock'), dead.stdout)
  const node = await startNode(options(dir))
  assert.equal(fs.readFileSync(path.join(dir, 'bitchat.lock'), 'utf8'), String(process.pid))
  await node.close()
  assert.equal(fs.existsSync(path.join(dir, 'bitchat.lock')), false)
})
