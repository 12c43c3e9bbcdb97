import assert from 'node:assert/strict'
import { test } from 'node:test'
import { channel, key, openTempStore } from './store-fixture.ts'

test('listMembers returns the latest name of each member and when it was last seen, most recently seen first', t => {
  const { store } = openTempStore(t)
  const c = channel(1)
  store.addChannel(c)
  store.saveMember({ channelId: c.channelId, publicKey: key(1), name: 'alice', lastSeenAt: 10 })
  store.saveMember({ channelId: c.channelId, publicKey: key(2), name: 'bob', lastSeenAt: 20 })
  store.saveMember({ channelId: c.channelId, publicKey: key(1), name: 'alice b.', lastSeenAt: 30 })
  assert.deepEqual(store.listMembers(c.channelId), [{ publicKey: key(1), name: 'alice b.', lastSeenAt: 30 }, { publicKey: key(2), name: 'bob', lastSeenAt: 20 }])
})

test('members are kept per channel and leave with their channel', t => {
  const { store } = openTempStore(t)
  const [c1, c2] = [channel(1), channel(2)]
  store.addChannel(c1)
  store.addChannel(c2)
  store.saveMember({ channelId: c1.channelId, publicKey: key(1), name: 'alice', lastSeenAt: 1 })
  assert.deepEqual(store.listMembers(c2.channelId), [])
  store.removeChannel(c1.channelId)
  assert.deepEqual(store.listMembers(c1.channelId), [])
})
