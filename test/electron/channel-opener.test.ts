import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BitChatError } from '../../core/api/errors.ts'
import { createLogger } from '../../core/log.ts'
import { createChannelOpener } from '../../electron/channel-opener.ts'
import { CHANNEL_ID, fixedService, type FixedService } from '../rpc/fixed-service.ts'
import { waitUntil } from '../helpers/wait.ts'

function opener (service: FixedService) {
  const focused: string[] = []
  const errors: Array<[string, string]> = []
  const log: string[] = []
  const o = createChannelOpener({ service, focusChannel: id => { focused.push(id) }, showError: (t, m) => { errors.push([t, m]) }, log: createLogger({ write: l => { log.push(l) } }) })
  return { o, focused, errors, log }
}

test('a joined channel is focused', async () => {
  const { o, focused, errors } = opener(fixedService())
  await o.open({ uri: 'bitchat:?v=1' })
  assert.deepEqual(focused, [CHANNEL_ID])
  assert.deepEqual(errors, [])
})

test('a bad .chat file is shown as an error and nothing is focused', async () => {
  const service = fixedService({ 'channels.join': async () => { throw BitChatError.invalidChatFile('unknown key "x"') } })
  const { o, focused, errors } = opener(service)
  await o.open({ file: '/tmp/bad.chat' })
  assert.deepEqual(errors, [['Could not open the channel', 'invalid .chat file: unknown key "x"']])
  assert.deepEqual(focused, [])
})

test('a target the API refuses (an empty path) is shown, never thrown', async () => {
  const { o, errors } = opener(fixedService())
  await o.open({ file: '' })
  assert.equal(errors.length, 1)
  assert.match(errors[0]?.[1] ?? '', /params\.file/)
})

test('an unexpected failure is shown without its details', async () => {
  const service = fixedService({ 'channels.join': async () => { throw new Error('SQLITE_CORRUPT at /home/a') } })
  const { o, errors, log } = opener(service)
  await o.open({ file: '/x.chat' })
  assert.doesNotMatch(errors[0]?.[1] ?? '', /SQLITE|home/)
  assert.ok(log.some(l => l.includes('SQLITE_CORRUPT')))
})

test('a target waits while there is no identity and is joined once one is ready', async () => {
  let ready = false
  const service = fixedService({ 'channels.join': async () => { if (!ready) throw BitChatError.identityMissing(); return { channelId: CHANNEL_ID, name: 'general' } } })
  const { o, focused, errors } = opener(service)
  await o.open({ file: '/x.chat' })
  assert.deepEqual(focused, [])
  assert.deepEqual(errors, [])
  ready = true
  service.emit('identity.updated', { state: 'ready' })
  await waitUntil(() => focused.length > 0, 2_000, 'the waiting target to be opened')
  assert.deepEqual(focused, [CHANNEL_ID])
})

test('dispose stops waiting for the identity', () => {
  const service = fixedService()
  const { o } = opener(service)
  o.dispose()
  assert.equal(service.listenerCount(), 0)
})
