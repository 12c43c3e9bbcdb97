// Params that pass the API's checks must be ones the core can carry: what the wire encoder or the
// tracker client would refuse later (as an INTERNAL error, or silently after a restart) is refused here.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BitChatError } from '../../core/api/errors.ts'
import { dispatch } from '../../core/api/service.ts'
import { MAX_TEXT_BYTES } from '../../core/wire/group-message.ts'
import { CHANNEL_ID, fixedService } from './fixed-service.ts'

const code = (expected: string) => (err: unknown) => err instanceof BitChatError && err.code === expected

test('a message text longer in UTF-8 than a group message carries is MESSAGE_TOO_LARGE', async () => {
  const service = fixedService()
  // 8192 characters pass the length check, but at three bytes each they are 24,576 bytes.
  await assert.rejects(dispatch(service, 'messages.send', { channelId: CHANNEL_ID, text: '漢'.repeat(8192) }), code('MESSAGE_TOO_LARGE'))
  assert.equal(service.calls.length, 0)
})

test('a message text at the wire limit in UTF-8 is accepted', async () => {
  const service = fixedService()
  const text = '漢'.repeat(Math.floor(MAX_TEXT_BYTES / 3))
  await dispatch(service, 'messages.send', { channelId: CHANNEL_ID, text })
  assert.deepEqual(service.calls, [{ method: 'messages.send', params: { channelId: CHANNEL_ID, text } }])
})

test('a message text with a lone surrogate is INVALID_PARAMS', async () => {
  await assert.rejects(dispatch(fixedService(), 'messages.send', { channelId: CHANNEL_ID, text: 'hi \uD83D' }), code('INVALID_PARAMS'))
})

test('names with a lone surrogate are INVALID_PARAMS, not stored as U+FFFD', async () => {
  const service = fixedService()
  await assert.rejects(dispatch(service, 'identity.create', { name: 'Ada\uDC00' }), code('INVALID_PARAMS'))
  await assert.rejects(dispatch(service, 'identity.setName', { name: '\uD800Ada' }), code('INVALID_PARAMS'))
  await assert.rejects(dispatch(service, 'channels.create', { name: 'x\uD800', trackers: [] }), code('INVALID_PARAMS'))
  assert.equal(service.calls.length, 0)
  await dispatch(service, 'identity.setName', { name: 'Ада 😀' })
})

test('channels.create refuses a tracker with port 0, a malformed host or no udp port as INVALID_PARAMS naming it', async () => {
  const service = fixedService()
  for (const url of ['udp://127.0.0.1:0', 'udp://627.0.0.1:9', 'udp://tracker.example', 'http://a b.example/', 'http://t.example:99999/']) {
    await assert.rejects(dispatch(service, 'channels.create', { name: 'x', trackers: ['udp://127.0.0.1:9', url] }),
      (err: unknown) => err instanceof BitChatError && err.code === 'INVALID_PARAMS' && err.message.includes('params.trackers[1]') && err.message.includes(JSON.stringify(url)), url)
  }
  assert.equal(service.calls.length, 0)
})

test('a tracker user agent that is not printable ASCII is INVALID_PARAMS', async () => {
  const service = fixedService()
  for (const trackerUserAgent of ['Büro/1.0', 'a\tb', 'qBittorrent/4.6.5\r\nX-Evil: 1', '漢']) {
    await assert.rejects(dispatch(service, 'settings.set', { trackerUserAgent }), code('INVALID_PARAMS'), JSON.stringify(trackerUserAgent))
  }
  assert.equal(service.calls.length, 0)
  await dispatch(service, 'settings.set', { trackerUserAgent: 'Transmission/4.0.6 (x; y)' })
})

test('relayOnly in settings.set is a boolean or left out', async () => {
  const service = fixedService()
  for (const relayOnly of ['true', 1, null]) await assert.rejects(dispatch(service, 'settings.set', { relayOnly }), code('INVALID_PARAMS'), JSON.stringify(relayOnly))
  assert.equal(service.calls.length, 0)
  await dispatch(service, 'settings.set', { relayOnly: true })
  assert.equal(service.calls.length, 1)
})
