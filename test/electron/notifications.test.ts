import { test } from 'node:test'
import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { notifyIncomingMessages, type NotificationLike } from '../../electron/notifications.ts'
import { CHANNEL_ID, fixedService, message } from '../rpc/fixed-service.ts'

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

function setup (focused: boolean) {
  FakeNotification.shown = []
  FakeNotification.supported = true
  const service = fixedService()
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
