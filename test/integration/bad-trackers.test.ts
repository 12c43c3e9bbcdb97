// The scenario on real daemons: a link or `.chat` file naming a tracker at port 0 or at a
// malformed host is refused with a clear error and leaves no channel, and the next settings.set
// does not take the daemon down. A channel stored by an older version with such trackers keeps
// running on its valid ones.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { encode } from '../../core/codec/bencode.ts'
import { channelIdOf } from '../../core/channel/keys.ts'
import { toHex } from '../../core/codec/hex.ts'
import { Store } from '../../core/store/store.ts'
import { FORMAT_VERSION, type ChannelDescriptor } from '../../core/channel/descriptor.ts'
import { signGenesis } from '../../core/channel/genesis.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { createTestnet, RpcError, tempDir, type DaemonProcess, type Testnet } from '../helpers/testnet.ts'

const BAD_TRACKERS = ['udp://127.0.0.1:0', 'udp://627.0.0.1:9']
const founder = generateIdentity()
const creator = founder.publicKey

/** A `.chat` file written without today's tracker checks: format 1 (unsigned) or a format-3 file with its signature. */
function chatFile (secret: Uint8Array, trackers: string[], sig?: Uint8Array): Uint8Array {
  const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)
  return encode({
    bitchat: sig === undefined ? 1 : FORMAT_VERSION,
    name: bytes('legacy'),
    announce: bytes(trackers[0] ?? ''),
    'announce-list': trackers.map(url => [bytes(url)]),
    secret,
    mode: bytes('open'),
    created: 1_700_000_000,
    creator,
    ...(sig === undefined ? {} : { sig })
  })
}

/** A format-1 file, as an older version stored it before tracker URLs were checked fully. */
const legacyChatFile = (secret: Uint8Array, trackers: string[]): Uint8Array => chatFile(secret, trackers)

/** What a current version would make of a channel with these trackers, had it not refused them: a signed file. */
function signedFields (secret: Uint8Array, trackers: string[]): { sig: Uint8Array; file: Uint8Array } {
  const descriptor: ChannelDescriptor = { version: FORMAT_VERSION, name: 'legacy', trackers: trackers.map(t => [t]), secret, mode: 'open', created: 1_700_000_000, creator, members: [], signature: null }
  const sig = signGenesis(descriptor, founder).signature!
  return { sig, file: chatFile(secret, trackers, sig) }
}

function linkWith (secret: Uint8Array, trackers: string[]): string {
  const { sig } = signedFields(secret, trackers)
  return `bitchat:?v=${FORMAT_VERSION}&n=legacy&s=${toHex(secret)}&m=open&t=1700000000&c=${toHex(creator)}` + trackers.map(t => `&tr=${encodeURIComponent(t)}`).join('') + `&sig=${toHex(sig)}`
}

describe('trackers at port 0 or at a malformed host', () => {
  let net: Testnet
  let daemon: DaemonProcess

  before(async () => {
    net = await createTestnet()
    daemon = net.daemon('careful')
  })
  after(async () => { await net.close() })

  it('refuses a link naming them with INVALID_URI, leaves no channel, and survives settings.set', async () => {
    const secret = crypto.getRandomValues(new Uint8Array(32))
    await assert.rejects(daemon.call('channels.join', { uri: linkWith(secret, [...BAD_TRACKERS, net.trackerUrl]) }),
      (err: unknown) => err instanceof RpcError && err.code === 'INVALID_URI' && err.message.includes('"udp://127.0.0.1:0" has port "0"'))
    await assert.rejects(daemon.call('channels.join', { uri: linkWith(secret, [net.trackerUrl, 'udp://627.0.0.1:9']) }),
      (err: unknown) => err instanceof RpcError && err.code === 'INVALID_URI' && err.message.includes('"udp://627.0.0.1:9" has an invalid host'))
    assert.deepEqual(await daemon.call('channels.list', {}), [])
    assert.deepEqual((await daemon.call('network.status', {})).channels, [])
    const settings = await daemon.call('settings.set', { trackerUserAgent: 'qBittorrent/4.6.6' })
    assert.equal(settings.trackerUserAgent, 'qBittorrent/4.6.6')
    assert.equal((await daemon.call('identity.get', {})).name, 'careful')
  })

  it('refuses a .chat file naming them with INVALID_CHAT_FILE and leaves no channel', async () => {
    const data = Buffer.from(signedFields(crypto.getRandomValues(new Uint8Array(32)), [net.trackerUrl, ...BAD_TRACKERS]).file).toString('base64')
    await assert.rejects(daemon.call('channels.join', { data }),
      (err: unknown) => err instanceof RpcError && err.code === 'INVALID_CHAT_FILE' && err.message.includes('udp://127.0.0.1:0'))
    assert.deepEqual(await daemon.call('channels.list', {}), [])
  })

  it('refuses them in channels.create with INVALID_PARAMS', async () => {
    await assert.rejects(daemon.call('channels.create', { name: 'x', trackers: [net.trackerUrl, 'udp://127.0.0.1:0'] }),
      (err: unknown) => err instanceof RpcError && err.code === 'INVALID_PARAMS' && err.message.includes('udp://127.0.0.1:0'))
    assert.deepEqual(await daemon.call('channels.list', {}), [])
  })

  it('keeps a channel stored by an older version with them, announcing on its valid tracker, through settings.set', async () => {
    const secret = crypto.getRandomValues(new Uint8Array(32))
    const channelId = channelIdOf(secret)
    const dataDir = tempDir()
    const store = Store.open(path.join(dataDir, 'bitchat.db'))
    store.addChannel({ channelId, name: 'legacy', chatFile: legacyChatFile(secret, [...BAD_TRACKERS, net.trackerUrl]), joinedAt: Date.now(), lastReadAt: 0 })
    store.close()

    const old = net.daemon('old', { dataDir })
    const [summary] = await old.call('channels.list', {})
    assert.deepEqual(summary && { channelId: summary.channelId, trackers: summary.trackers }, { channelId, trackers: [net.trackerUrl] })
    assert.equal(old.stderr.filter(l => l.includes('skipping a tracker of a stored channel')).length, 2)

    const other = net.daemon('other')
    await other.call('channels.join', { uri: linkWith(secret, [net.trackerUrl]) })
    await old.waitFor('peer.connected', p => p.channelId === channelId && p.name === 'other', 20_000)
    await old.call('settings.set', { trackerUserAgent: 'qBittorrent/4.6.6', listenPort: 0 })
    await old.call('settings.set', { trackerPeerIdPrefix: '-qB4660-' })
    const { messageId } = await other.call('messages.send', { channelId, text: 'still here' })
    await old.waitFor('message.received', m => m.messageId === messageId, 20_000)
  })
})
