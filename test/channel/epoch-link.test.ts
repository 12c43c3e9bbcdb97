// A channel link carries its current epoch's key after the genesis (PROTOCOL §4.10).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createChannelDescriptor } from '../../core/channel/chat-file.ts'
import { parseChannelLink, withEpoch } from '../../core/channel/epoch-link.ts'
import { toChannelUri } from '../../core/channel/uri.ts'
import { BitChatError } from '../../core/api/errors.ts'
import { generateIdentity } from '../../core/identity/identity.ts'

const creator = generateIdentity()

const descriptor = createChannelDescriptor({ name: 'board', trackers: [], mode: 'invite', creator, members: [new Uint8Array(32).fill(2)] })
const uri = toChannelUri(descriptor)
const key = new Uint8Array(32).fill(7)
const invalidUri = (err: unknown): boolean => err instanceof BitChatError && err.code === 'INVALID_URI'

test('a link at epoch 0 is the plain link, and reads back without an epoch', () => {
  assert.equal(withEpoch(uri, null), uri)
  assert.equal(withEpoch(uri, { epoch: 0, key }), uri)
  assert.deepEqual(parseChannelLink(uri), { descriptor, epoch: null })
})

test('a later epoch rides after the genesis, outside its check', () => {
  const link = withEpoch(uri, { epoch: 3, key })
  assert.ok(link.startsWith(uri))
  assert.deepEqual(parseChannelLink(link), { descriptor, epoch: { epoch: 3, key } })
})

const refused: Array<[string, string]> = [
  ['epoch 0 written out', `${uri}&e=0&ek=${'07'.repeat(32)}`],
  ['an epoch with a leading zero', `${uri}&e=01&ek=${'07'.repeat(32)}`],
  ['an epoch above a u32', `${uri}&e=4294967296&ek=${'07'.repeat(32)}`],
  ['a short key', `${uri}&e=1&ek=${'07'.repeat(31)}`],
  ['a key in upper case', `${uri}&e=1&ek=${'AB'.repeat(32)}`],
  ['an epoch without its key', `${uri}&e=1`],
  ['an epoch of an open channel', `${toChannelUri(createChannelDescriptor({ name: 'open', trackers: [], mode: 'open', creator }))}&e=1&ek=${'07'.repeat(32)}`]
]

for (const [name, link] of refused) {
  test(`a link is refused: ${name}`, () => {
    assert.throws(() => parseChannelLink(link), invalidUri)
  })
}
