// Invitations carry a channel's link as its creator signed it (PROTOCOL §4.8): whoever sends one,
// the invitee can check the name and members; an altered one is not taken up, and a channel without
// its creator's signature is not sent at all.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import type { InvitationInfo } from '../../core/api/contract.ts'
import { BitChatError } from '../../core/api/errors.ts'
import { createChannelDescriptor } from '../../core/channel/chat-file.ts'
import type { ChannelDescriptor } from '../../core/channel/descriptor.ts'
import { channelIdOf } from '../../core/channel/keys.ts'
import { parseChannelUri, toChannelUri } from '../../core/channel/uri.ts'
import { toHex } from '../../core/codec/hex.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { silentLogger } from '../../core/log.ts'
import { Invitations } from '../../core/node/invitations.ts'
import { Store } from '../../core/store/store.ts'
import { tempDir } from '../helpers/testnet.ts'

const creator = generateIdentity()
const member = generateIdentity()
const invitee = toHex(generateIdentity().publicKey)

/** Invitations as a member who is not the channel's creator sees them, with `descriptor` joined. */
function asMember (descriptor: ChannelDescriptor, privatePeer: string | null = null): { invitations: Invitations; sent: string[]; received: InvitationInfo[]; store: Store } {
  const store = Store.open(path.join(tempDir(), 'bitchat.db'))
  const sent: string[] = []
  const received: InvitationInfo[] = []
  const invitations = new Invitations({
    store,
    log: silentLogger,
    emit: (invitation) => { received.push(invitation) },
    isJoined: () => false,
    join: (d) => channelIdOf(d.secret),
    nameOf: () => undefined,
    ownKey: () => toHex(member.publicKey),
    isBlocked: () => false,
    create: () => { throw new Error('not made here') },
    joined: () => ({ descriptor, privatePeer, link: () => toChannelUri(descriptor) }),
    openPrivate: (key) => key,
    sendInvitation: async (_channelId, link) => { sent.push(link) },
    admit: async () => {},
    lets: () => true
  })
  return { invitations, sent, received, store }
}

const club = (): ChannelDescriptor => createChannelDescriptor({ name: 'club', trackers: [], mode: 'invite', creator, members: [member.publicKey] })

test('a member invites with the link its creator signed, which the invitee can check', async () => {
  const descriptor = club()
  const { invitations, sent, store } = asMember(descriptor)
  try {
    await invitations.invite({ channelId: channelIdOf(descriptor.secret), publicKeys: [invitee] })
    assert.equal(sent.length, 1)
    const carried = parseChannelUri(sent[0]!)
    assert.deepEqual(carried, descriptor)
    assert.deepEqual(carried.creator, creator.publicKey)
  } finally {
    store.close()
  }
})

test('an invitation whose link was altered is not taken up; the one as signed is', () => {
  const descriptor = club()
  const { invitations, received, store } = asMember(descriptor)
  try {
    const link = toChannelUri(descriptor)
    invitations.received(toHex(creator.publicKey), 'aa'.repeat(32), link.replace('n=club', 'n=bank'))
    assert.equal(received.length, 0)
    assert.deepEqual(invitations.list(), [])
    invitations.received(toHex(creator.publicKey), 'bb'.repeat(32), link)
    assert.deepEqual(received.map(i => i.name), ['club'])
  } finally {
    store.close()
  }
})

test('a channel without its creator’s signature is not sent as an invitation: no one could check it', async () => {
  const descriptor = { ...club(), signature: null }
  const { invitations, sent, store } = asMember(descriptor)
  try {
    await assert.rejects(invitations.invite({ channelId: channelIdOf(descriptor.secret), publicKeys: [invitee] }),
      (err: unknown) => err instanceof BitChatError && err.code === 'FORBIDDEN' && /ask its creator/.test(err.message))
    assert.deepEqual(sent, [])
  } finally {
    store.close()
  }
})

test('inviting into a private conversation says there is no one else to invite, not that its (unsigned) link cannot be made', async () => {
  const descriptor = { ...club(), signature: null }
  const { invitations, sent, store } = asMember(descriptor, invitee)
  try {
    await assert.rejects(invitations.invite({ channelId: channelIdOf(descriptor.secret), publicKeys: [toHex(creator.publicKey)] }),
      (err: unknown) => err instanceof BitChatError && err.code === 'INVALID_PARAMS' && /private conversation has no one else/.test(err.message))
    assert.deepEqual(sent, [])
  } finally {
    store.close()
  }
})
