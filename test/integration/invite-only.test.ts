import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, FAST_TIMINGS, waitUntil, type Testnet } from '../helpers/testnet.ts'
import type { BitChatNode } from '../../core/node/node.ts'

describe('an invite-only channel', () => {
  let net: Testnet
  let owner: BitChatNode, guest: BitChatNode, stranger: BitChatNode
  let channelId: string

  before(async () => {
    net = await createTestnet()
    owner = await net.node('owner', { timings: FAST_TIMINGS })
    guest = await net.node('guest', { timings: FAST_TIMINGS })
    stranger = await net.node('stranger', { timings: FAST_TIMINGS })
    const guestKey = (await guest.api['identity.get']({})).publicKey
    const created = await owner.api['channels.create']({ name: 'inner circle', trackers: [net.trackerUrl], inviteOnly: true, members: [guestKey] })
    channelId = created.channelId
    const share = await owner.api['channels.share']({ channelId })
    // The stranger holds the very same .chat file (and so the PSK): only the member list keeps it out.
    await guest.api['channels.join']({ data: share.data })
    await stranger.api['channels.join']({ data: share.data })
  })
  after(async () => { await net.close() })

  it('admits the listed member and refuses a key that is not listed, even with the file', async () => {
    await waitUntil(async () => (await owner.api['peers.list']({ channelId })).length === 1, 10_000, 'the guest')
    await new Promise(resolve => setTimeout(resolve, 1_500))
    assert.deepEqual((await owner.api['peers.list']({ channelId })).map(p => p.name), ['guest'])
    assert.deepEqual((await guest.api['peers.list']({ channelId })).map(p => p.name), ['owner'])
    assert.deepEqual(await stranger.api['peers.list']({ channelId }), [])
    const [summary] = await stranger.api['channels.list']({})
    assert.equal(summary?.mode, 'invite')
    const strangerKey = (await stranger.api['identity.get']({})).publicKey
    // The tracker hands the owner the stranger's address too: once dialled and refused, it must not show as connected.
    const seen = await waitUntil(async () => {
      const found = (await owner.api['network.status']({})).channels[0]?.addresses.filter(a => a.publicKey === strangerKey) ?? []
      return found.length > 0 ? found : undefined
    }, 10_000, 'the owner to dial the stranger')
    assert.ok(seen.every(a => a.status !== 'connected'), `refused addresses must not show as connected: ${JSON.stringify(seen)}`)
  })

  it('keeps its messages from the stranger', async () => {
    const { messageId } = await owner.api['messages.send']({ channelId, text: 'members only' })
    await waitUntil(async () => (await guest.api['messages.list']({ channelId })).some(m => m.messageId === messageId), 5_000, 'the guest to get it')
    await new Promise(resolve => setTimeout(resolve, 500))
    assert.deepEqual(await stranger.api['messages.list']({ channelId }), [])
  })
})
