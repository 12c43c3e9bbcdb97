// Someone holding an invite-only channel's file or link without being on its member list learns
// so at once, and cannot send messages that nobody would ever receive.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { BitChatError } from '../../core/api/errors.ts'
import type { BitChatNode } from '../../core/node/node.ts'
import { createTestnet, FAST_TIMINGS, type Testnet } from '../helpers/testnet.ts'

const code = (expected: string) => (err: unknown) => err instanceof BitChatError && err.code === expected

describe('an invite-only channel seen by someone not on its list', () => {
  let net: Testnet
  let owner: BitChatNode, guest: BitChatNode, stranger: BitChatNode
  let channelId: string
  let ownerFingerprint: string

  before(async () => {
    net = await createTestnet()
    owner = await net.node('Olga', { timings: FAST_TIMINGS })
    guest = await net.node('guest', { timings: FAST_TIMINGS })
    stranger = await net.node('stranger', { timings: FAST_TIMINGS })
    const guestKey = (await guest.api['identity.get']({})).publicKey
    ownerFingerprint = (await owner.api['identity.get']({})).fingerprint
    const created = await owner.api['channels.create']({ name: 'inner circle', trackers: [net.trackerUrl], inviteOnly: true, members: [guestKey] })
    channelId = created.channelId
    await guest.api['channels.join']({ uri: created.uri })
    await stranger.api['channels.join']({ uri: created.uri })
  })
  after(async () => { await net.close() })

  it('lists the channel as not-member for the stranger, member for the creator and the invited', async () => {
    const summary = async (node: BitChatNode) => (await node.api['channels.list']({})).find(c => c.channelId === channelId)
    assert.equal((await summary(stranger))?.access, 'not-member')
    assert.equal((await summary(owner))?.access, 'member')
    assert.equal((await summary(guest))?.access, 'member')
    const ownerKey = (await owner.api['identity.get']({})).publicKey
    assert.deepEqual((await summary(stranger))?.creator, { publicKey: ownerKey, fingerprint: ownerFingerprint })
  })

  it('refuses the stranger’s messages with NOT_A_MEMBER, naming whom to ask', async () => {
    await assert.rejects(stranger.api['messages.send']({ channelId, text: 'hello?' }), (err: unknown) => {
      assert.ok(code('NOT_A_MEMBER')(err), String(err))
      assert.match((err as Error).message, /^You are not a member of this channel — ask .+ to add you/)
      assert.ok((err as Error).message.includes(ownerFingerprint), (err as Error).message)
      return true
    })
    assert.deepEqual(await stranger.api['messages.list']({ channelId }), [])
    await guest.api['messages.send']({ channelId, text: 'members can still talk' })
  })

  it('calls an open channel member for everyone', async () => {
    const { uri, channelId: open } = await owner.api['channels.create']({ name: 'lobby', trackers: [] })
    await stranger.api['channels.join']({ uri })
    assert.equal((await stranger.api['channels.list']({})).find(c => c.channelId === open)?.access, 'member')
  })
})
