import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startNode } from '../../core/node/node.ts'
import type { IdentityInfo } from '../../core/api/contract.ts'
import { BitChatError } from '../../core/api/errors.ts'
import { dispatch } from '../../core/api/service.ts'
import { silentLogger } from '../../core/log.ts'
import { tempDir } from '../helpers/testnet.ts'

const options = (dataDir: string) => ({ dataDir, host: '127.0.0.1', dht: false as const, lan: false, portMapping: false, log: silentLogger })
const code = (expected: string) => (err: unknown) => err instanceof BitChatError && err.code === expected

test('a first run without an identity waits for the user to create one', async () => {
  const node = await startNode(options(tempDir()))
  try {
    assert.deepEqual(await node.api['identity.status']({}), { state: 'none' })
    await assert.rejects(node.api['channels.list']({}), code('IDENTITY_MISSING'))
    const created = await node.api['identity.create']({ name: 'Ada' })
    assert.equal(created.name, 'Ada')
    assert.equal((await node.api['identity.status']({})).state, 'ready')
    assert.ok(node.listenPort > 0, 'the node goes online once it has an identity')
    await assert.rejects(node.api['identity.create']({ name: 'again' }), code('IDENTITY_EXISTS'))
  } finally {
    await node.close()
  }
})

test('a passphrase seals the identity: a restart is locked until the right passphrase unlocks it', async () => {
  const dir = tempDir()
  const first = await startNode({ ...options(dir), createIdentity: true, name: 'Ada' })
  const { channelId } = await first.api['channels.create']({ name: 'diary', trackers: [] })
  await first.api['messages.send']({ channelId, text: 'kept safe' })
  const before = await first.api['identity.setPassphrase']({ passphrase: 'correct horse' })
  assert.equal(before.encrypted, true)
  await first.close()

  const second = await startNode(options(dir))
  try {
    assert.deepEqual(await second.api['identity.status']({}), { state: 'locked' })
    await assert.rejects(second.api['messages.list']({ channelId }), code('IDENTITY_LOCKED'))
    await assert.rejects(second.api['identity.unlock']({ passphrase: 'wrong horse' }), code('WRONG_PASSPHRASE'))
    assert.equal((await second.api['identity.status']({})).state, 'locked')
    const unlocked = await second.api['identity.unlock']({ passphrase: 'correct horse' })
    assert.equal(unlocked.publicKey, before.publicKey)
    const history = await second.api['messages.list']({ channelId })
    assert.deepEqual(history.map(m => m.text), ['kept safe'])
    assert.equal((await second.api['channels.list']({})).length, 1)
    const cleared = await second.api['identity.setPassphrase']({ passphrase: null, current: 'correct horse' })
    assert.equal(cleared.encrypted, false)
  } finally {
    await second.close()
  }
  const third = await startNode(options(dir))
  assert.equal((await third.api['identity.status']({})).state, 'ready')
  await third.close()
})

test('a passphrase given at start unlocks at once', async () => {
  const dir = tempDir()
  const first = await startNode({ ...options(dir), createIdentity: true, name: 'Ada' })
  await first.api['identity.setPassphrase']({ passphrase: 'pw' })
  await first.close()
  await assert.rejects(startNode({ ...options(dir), passphrase: 'nope' }), code('WRONG_PASSPHRASE'))
  const node = await startNode({ ...options(dir), passphrase: 'pw' })
  assert.equal((await node.api['identity.status']({})).state, 'ready')
  await node.close()
})

test('changing or removing a passphrase takes the current one, and refuses a wrong or missing one', async () => {
  const node = await startNode({ ...options(tempDir()), createIdentity: true, name: 'Ada' })
  try {
    // Setting the first passphrase has nothing to check against.
    assert.equal((await dispatch(node, 'identity.setPassphrase', { passphrase: 'first' }) as IdentityInfo).encrypted, true)
    await assert.rejects(dispatch(node, 'identity.setPassphrase', { passphrase: 'second' }), (err: unknown) =>
      code('INVALID_PARAMS')(err) && /current passphrase/.test((err as Error).message))
    await assert.rejects(dispatch(node, 'identity.setPassphrase', { passphrase: null }), code('INVALID_PARAMS'))
    await assert.rejects(dispatch(node, 'identity.setPassphrase', { passphrase: 'second', current: 'guess' }), code('WRONG_PASSPHRASE'))
    await assert.rejects(dispatch(node, 'identity.setPassphrase', { passphrase: null, current: 'guess' }), code('WRONG_PASSPHRASE'))
    assert.equal((await node.api['identity.get']({})).encrypted, true)
    await dispatch(node, 'identity.setPassphrase', { passphrase: 'second', current: 'first' })
    await assert.rejects(dispatch(node, 'identity.setPassphrase', { passphrase: null, current: 'first' }), code('WRONG_PASSPHRASE'))
    const removed = await dispatch(node, 'identity.setPassphrase', { passphrase: null, current: 'second' }) as IdentityInfo
    assert.equal(removed.encrypted, false)
  } finally {
    await node.close()
  }
})

test('the changed passphrase is the one that unlocks after a restart', async () => {
  const dir = tempDir()
  const first = await startNode({ ...options(dir), createIdentity: true, name: 'Ada' })
  await first.api['identity.setPassphrase']({ passphrase: 'old' })
  await first.api['identity.setPassphrase']({ passphrase: 'new', current: 'old' })
  await first.close()
  const second = await startNode(options(dir))
  try {
    await assert.rejects(second.api['identity.unlock']({ passphrase: 'old' }), code('WRONG_PASSPHRASE'))
    await second.api['identity.unlock']({ passphrase: 'new' })
  } finally {
    await second.close()
  }
})

test('unlock with a wrong passphrase fails even when the identity is already unlocked', async () => {
  const node = await startNode({ ...options(tempDir()), createIdentity: true, name: 'Ada' })
  try {
    await node.api['identity.setPassphrase']({ passphrase: 'right' })
    await assert.rejects(node.api['identity.unlock']({ passphrase: 'wrong' }), code('WRONG_PASSPHRASE'))
    assert.equal((await node.api['identity.unlock']({ passphrase: 'right' })).encrypted, true)
    assert.equal((await node.api['identity.status']({})).state, 'ready')
  } finally {
    await node.close()
  }
})

test('two passphrase changes made at once each check the passphrase the other may have replaced', async () => {
  const node = await startNode({ ...options(tempDir()), createIdentity: true, name: 'Ada' })
  try {
    await node.api['identity.setPassphrase']({ passphrase: 'first' })
    const [a, b] = await Promise.allSettled([
      node.api['identity.setPassphrase']({ passphrase: 'second', current: 'first' }),
      node.api['identity.setPassphrase']({ passphrase: 'third', current: 'first' })
    ])
    assert.equal(a.status, 'fulfilled')
    assert.ok(b.status === 'rejected' && code('WRONG_PASSPHRASE')(b.reason), 'the second change checks the passphrase the first one set')
    await assert.rejects(node.api['identity.unlock']({ passphrase: 'third' }), code('WRONG_PASSPHRASE'))
    await node.api['identity.unlock']({ passphrase: 'second' })
  } finally {
    await node.close()
  }
})
