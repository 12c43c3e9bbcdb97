import { test } from 'node:test'
import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { notifyIncomingMessages, type NotificationLike } from '../../electron/notifications.ts'
import type { ChannelSummary } from '../../core/api/contract.ts'
import { CHANNEL_ID, fixedService, message, OTHER_CHANNEL_ID } from '../rpc/fixed-service.ts'

class FakeNotification extends EventEmitter implements NotificationLike {
  static shown: FakeNotification[] = []
  static supported = true
  static isSupported (): boolean { return FakeNotification.supported }
  options: { title: string; body: string; icon?: string }
  constructor (options: { title: string; body: string; icon?: string }) {
    super()
    this.options = options
  }

  show (): void { FakeNotification.shown.push(this) }
}

const summary = (channelId: string, muted: boolean): ChannelSummary => ({ channelId, name: 'general', peerCount: 1, mode: 'open', trackers: [], unread: 0, muted })

function setup (focused: boolean, listed: ChannelSummary[] = []) {
  FakeNotification.shown = []
  FakeNotification.supported = true
  const service = fixedService({ 'channels.list': async () => listed })
  const opened: string[] = []
  const stop = notifyIncomingMessages({ service, Notification: FakeNotification, isWindowFocused: () => focused, openChannel: id => { opened.push(id) }, icon: '/icon.png' })
  return { service, opened, stop }
}

test('a message from someone else while the window is unfocused is notified', () => {
  const { service } = setup(false)
  service.emit('message.received', message({ authorName: 'bob', text: 'lunch?' }))
  assert.equal(FakeNotification.shown.length, 1)
  assert.deepEqual(FakeNotification.shown[0]?.options, { title: 'bob', body: 'lunch?', icon: '/icon.png' })
})

test('messages stored together are one notification: how many, and the last of them', () => {
  const { service, opened } = setup(false)
  service.emit('message.received', { ...message({ authorName: 'bob', text: 'one' }), more: [message({ own: true, text: 'mine' }), message({ authorName: 'carol', text: 'three', channelId: 'e'.repeat(64) })] })
  assert.equal(FakeNotification.shown.length, 1)
  assert.deepEqual(FakeNotification.shown[0]?.options, { title: '2 new messages', body: 'carol: three', icon: '/icon.png' })
  FakeNotification.shown[0]?.emit('click')
  assert.deepEqual(opened, ['e'.repeat(64)])
})

test('a group whose only message from someone else is one is notified as that message', () => {
  const { service } = setup(false)
  service.emit('message.received', { ...message({ own: true, text: 'mine' }), more: [message({ authorName: 'bob', text: 'lunch?' })] })
  assert.deepEqual(FakeNotification.shown.map(n => n.options.title), ['bob'])
})

test('no notification while the window is focused', () => {
  const { service } = setup(true)
  service.emit('message.received', message())
  assert.equal(FakeNotification.shown.length, 0)
})

test('no notification for our own messages', () => {
  const { service } = setup(false)
  service.emit('message.received', message({ own: true }))
  assert.equal(FakeNotification.shown.length, 0)
})

test('no notification where the system has none', () => {
  const { service } = setup(false)
  FakeNotification.supported = false
  service.emit('message.received', message())
  assert.equal(FakeNotification.shown.length, 0)
})

test('other events are not notified', () => {
  const { service } = setup(false)
  service.emit('channel.removed', { channelId: CHANNEL_ID })
  assert.equal(FakeNotification.shown.length, 0)
})

test('a long message is shortened', () => {
  const { service } = setup(false)
  service.emit('message.received', message({ text: 'x'.repeat(5000) }))
  assert.equal(FakeNotification.shown[0]?.options.body.length, 200)
})

test('clicking the notification opens its channel', () => {
  const { service, opened } = setup(false)
  service.emit('message.received', message({ channelId: 'f'.repeat(64) }))
  FakeNotification.shown[0]?.emit('click')
  assert.deepEqual(opened, ['f'.repeat(64)])
})

test('stopping unsubscribes', () => {
  const { service, stop } = setup(false)
  stop()
  assert.equal(service.listenerCount(), 0)
})

test('a muted conversation is not notified, but a mention of us in it is, and says so', async () => {
  const { service, opened } = setup(false, [summary(CHANNEL_ID, true)])
  await new Promise(resolve => setImmediate(resolve))
  service.emit('message.received', message({ authorName: 'bob', text: 'chatter' }))
  assert.equal(FakeNotification.shown.length, 0, 'muted when the notifier started')
  service.emit('message.received', message({ authorName: 'bob', text: 'look @alice', mentions: ['a'.repeat(64)], mentionsMe: true }))
  assert.deepEqual(FakeNotification.shown.map(n => n.options), [{ title: 'bob mentioned you', body: 'look @alice', icon: '/icon.png' }])
  FakeNotification.shown[0]?.emit('click')
  assert.deepEqual(opened, [CHANNEL_ID])
})

test('muting and unmuting take effect as the core announces them', () => {
  const { service } = setup(false)
  service.emit('channel.updated', summary(OTHER_CHANNEL_ID, true))
  service.emit('message.received', message({ channelId: OTHER_CHANNEL_ID }))
  assert.equal(FakeNotification.shown.length, 0)
  service.emit('channel.updated', summary(OTHER_CHANNEL_ID, false))
  service.emit('message.received', message({ channelId: OTHER_CHANNEL_ID }))
  assert.equal(FakeNotification.shown.length, 1)
})

test('in a burst, a mention of us is the message shown, and the title counts it', () => {
  const { service, opened } = setup(false)
  service.emit('channel.updated', summary(OTHER_CHANNEL_ID, true))
  service.emit('message.received', {
    ...message({ authorName: 'carol', text: 'first', mentions: ['a'.repeat(64)], mentionsMe: true }),
    more: [message({ authorName: 'bob', text: 'second' }), message({ authorName: 'dave', text: 'muted chatter', channelId: OTHER_CHANNEL_ID }), message({ authorName: 'erin', text: 'named someone else', mentions: ['9'.repeat(64)], mentionsMe: false })]
  })
  assert.deepEqual(FakeNotification.shown.map(n => n.options), [{ title: '3 new messages, one mentions you', body: 'carol: first', icon: '/icon.png' }])
  FakeNotification.shown[0]?.emit('click')
  assert.deepEqual(opened, [CHANNEL_ID])
})

test('a deleted message is not notified', () => {
  const { service } = setup(false)
  service.emit('message.received', message({ text: '', deleted: true }))
  assert.equal(FakeNotification.shown.length, 0)
})
