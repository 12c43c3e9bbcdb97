import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Typing, TYPING_EXPIRES_MS, TYPING_REPEAT_MS } from '../../core/node/typing.ts'
import type { BitChatEvents } from '../../core/api/contract.ts'

function typing (now: () => number) {
  const said: boolean[] = []
  const events: Array<[string, boolean]> = []
  const t = new Typing({
    channelId: 'c',
    broadcast: (active) => { said.push(active) },
    emit: (e: BitChatEvents['typing']) => { events.push([e.publicKey, e.typing]) },
    now
  })
  return { t, said, events }
}

test('our typing is said once per repeat interval while it lasts, and once when it stops', () => {
  let now = 0
  const { t, said } = typing(() => now)
  for (let i = 0; i < 10; i++) {
    t.setOurs(true)
    now += 500
  }
  assert.deepEqual(said, [true, true], `keys for ${10 * 500} ms, said every ${TYPING_REPEAT_MS} ms`)
  t.setOurs(false)
  t.setOurs(false)
  assert.deepEqual(said, [true, true, false])
  t.setOurs(true)
  t.sent()
  t.setOurs(false)
  assert.deepEqual(said, [true, true, false, true], 'a sent message ends it without a stop of its own')
})

test('a member typing is reported once, until it stops, writes, goes, or goes quiet', t => {
  t.mock.timers.enable({ apis: ['setTimeout'] })
  const { t: typingState, events } = typing(() => 0)
  typingState.received('bob', true)
  typingState.received('bob', true)
  assert.deepEqual(events, [['bob', true]])
  typingState.received('bob', false)
  assert.deepEqual(events, [['bob', true], ['bob', false]])
  typingState.received('carol', true)
  typingState.ended('carol')
  typingState.ended('carol')
  assert.deepEqual(events.slice(2), [['carol', true], ['carol', false]])
  typingState.received('dave', true)
  t.mock.timers.tick(TYPING_EXPIRES_MS - 1)
  typingState.received('dave', true)
  t.mock.timers.tick(TYPING_EXPIRES_MS - 1)
  assert.deepEqual(events.slice(4), [['dave', true]], 'kept up by its repeats')
  t.mock.timers.tick(1)
  assert.deepEqual(events.slice(4), [['dave', true], ['dave', false]], 'quiet for too long')
  typingState.received('erin', true)
  typingState.stop()
  t.mock.timers.tick(TYPING_EXPIRES_MS)
  assert.deepEqual(events.slice(6), [['erin', true]], 'nothing after stop')
})
