// The proxy setting through the API: checked, kept across restarts, shown without its password, and
// putting the node's DHT to sleep while set.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { BitChatError } from '../../core/api/errors.ts'
import { dispatch } from '../../core/api/service.ts'
import { silentLogger } from '../../core/log.ts'
import { startNode } from '../../core/node/node.ts'
import { startLoopbackDht } from '../helpers/loopback-dht.ts'
import { tempDir } from '../helpers/testnet.ts'

test('a proxy set through the API is kept, shown without its password in the network status, and sends the DHT to sleep until cleared', async t => {
  const dht = await startLoopbackDht(4)
  t.after(() => dht.close())
  const dataDir = tempDir()
  const start = async () => await startNode({ dataDir, name: 'alice', host: '127.0.0.1', createIdentity: true, dht: { bootstrap: [dht.bootstrap] }, lan: false, portMapping: false, log: silentLogger })
  let node = await start()
  t.after(() => node.close())
  assert.equal((await node.api['settings.get']({})).proxy, null)
  assert.equal((await node.api['network.status']({})).dht.enabled, true)

  const set = await dispatch(node, 'settings.set', { proxy: 'socks5://tor%20user:secret@127.0.0.1:9050' })
  assert.equal((set as { proxy: string }).proxy, 'socks5://tor%20user:secret@127.0.0.1:9050', 'the settings form edits the login')
  const status = await node.api['network.status']({})
  assert.equal(status.proxy, 'socks5://tor%20user@127.0.0.1:9050')
  assert.equal(status.dht.enabled, false)

  await node.close()
  node = await start()
  assert.equal((await node.api['settings.get']({})).proxy, 'socks5://tor%20user:secret@127.0.0.1:9050')
  assert.equal((await node.api['network.status']({})).dht.enabled, false, 'asleep from the start')

  await node.api['settings.set']({ proxy: null })
  assert.equal((await node.api['settings.get']({})).proxy, null)
  assert.equal((await node.api['network.status']({})).dht.enabled, true)
})

test('a proxy the rule refuses is refused with the reason, and nothing changes', async t => {
  const node = await startNode({ dataDir: tempDir(), name: 'bob', host: '127.0.0.1', createIdentity: true, dht: false, lan: false, portMapping: false, log: silentLogger })
  t.after(() => node.close())
  for (const [proxy, reason] of [['tor', /a proxy is written/], ['socks5://127.0.0.1:99999', /port is 1 to 65535/], [42, /must be a string/]] as const) {
    await assert.rejects(dispatch(node, 'settings.set', { proxy }), (err: unknown) => err instanceof BitChatError && err.code === 'INVALID_PARAMS' && reason.test(err.message), String(proxy))
  }
  assert.equal((await node.api['settings.get']({})).proxy, null)
})
