import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, RpcError, type DaemonProcess, type Testnet } from '../helpers/testnet.ts'

describe('a daemon fed hostile JSON-RPC on stdin', () => {
  let net: Testnet
  let daemon: DaemonProcess

  before(async () => {
    net = await createTestnet()
    daemon = net.daemon('sturdy')
  })
  after(async () => { await net.close() })

  const rejectsWith = async (call: Promise<unknown>, rpcCode: number, code: string): Promise<void> => {
    await assert.rejects(call, (err: unknown) => err instanceof RpcError && err.rpcCode === rpcCode && err.code === code)
  }

  it('answers unknown methods, bad params and unknown channels with JSON-RPC errors carrying stable codes', async () => {
    await rejectsWith(daemon.rawCall('no.such.method', {}), -32601, 'UNKNOWN_METHOD')
    await rejectsWith(daemon.rawCall('messages.send', { channelId: 'zz', text: 'x' }), -32602, 'INVALID_PARAMS')
    await rejectsWith(daemon.rawCall('channels.create', { name: 'x', trackers: 'not a list' }), -32602, 'INVALID_PARAMS')
    await rejectsWith(daemon.rawCall('messages.send', { channelId: 'ab'.repeat(32), text: 'x' }), -32000, 'CHANNEL_NOT_FOUND')
    await rejectsWith(daemon.rawCall('channels.join', { uri: 'bitchat:?v=9' }), -32000, 'INVALID_URI')
    await rejectsWith(daemon.rawCall('channels.join', { data: Buffer.from('d3:foo3:bare').toString('base64') }), -32000, 'INVALID_CHAT_FILE')
  })

  it('survives garbage and an endless line, and keeps answering', async () => {
    // Lines are handled in order, so an answer to the request after them proves the daemon got past them.
    daemon.writeRaw('this is not json\n{"jsonrpc":"2.0","id":\n' + 'x'.repeat(2 * 1024 * 1024) + '\n[]\n')
    const identity = await daemon.call('identity.get', {})
    assert.equal(identity.name, 'sturdy')
    assert.match(identity.fingerprint, /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/)
  })
})
