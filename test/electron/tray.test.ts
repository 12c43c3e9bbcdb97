import { test } from 'node:test'
import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import type { MenuItemConstructorOptions } from 'electron'
import { BitChatError } from '../../core/api/errors.ts'
import { createLogger } from '../../core/log.ts'
import { createUnreadTray, unreadLabel, type TrayLike } from '../../electron/tray.ts'
import { CHANNEL_ID, fixedService, message, type FixedService } from '../rpc/fixed-service.ts'
import { waitUntil } from '../helpers/wait.ts'

class FakeTray extends EventEmitter implements TrayLike<MenuItemConstructorOptions[]> {
  static last: FakeTray | null = null
  tooltip = ''
  title = ''
  menu: MenuItemConstructorOptions[] = []
  destroyed = false
  constructor (icon: string) {
    super()
    assert.equal(icon, '/icon.png')
    FakeTray.last = this
  }

  setToolTip (text: string): void { this.tooltip = text }
  setTitle (title: string): void { this.title = title }
  setContextMenu (menu: MenuItemConstructorOptions[]): void { this.menu = menu }
  destroy (): void { this.destroyed = true }
}

function setup (service: FixedService = fixedService()) {
  const totals: number[] = []
  let shown = 0
  let quits = 0
  const tray = createUnreadTray({
    Tray: FakeTray,
    Menu: { buildFromTemplate: t => t },
    icon: '/icon.png',
    service,
    showWindow: () => { shown++ },
    quit: () => { quits++ },
    onUnreadTotal: n => { totals.push(n) },
    log: createLogger({ write: () => {} })
  })
  const fake = FakeTray.last as FakeTray
  return { tray, fake, service, totals, shown: () => shown, quits: () => quits }
}

test('the tooltip and title show the unread total over all channels', async () => {
  const { tray, fake, totals } = setup()
  await tray.refresh()
  assert.equal(fake.tooltip, 'BitChat: 5 unread messages')
  assert.equal(fake.title, '5')
  assert.equal(totals.at(-1), 5)
})

test('the label reads well for none and one', () => {
  assert.equal(unreadLabel(0), 'BitChat')
  assert.equal(unreadLabel(1), 'BitChat: 1 unread message')
})

test('the count is updated when a message arrives', async () => {
  let unread = 0
  const service = fixedService({ 'channels.list': async () => [{ channelId: CHANNEL_ID, name: 'g', peerCount: 0, mode: 'open', trackers: [], unread }] })
  const { tray, fake } = setup(service)
  await tray.refresh()
  assert.equal(fake.title, '')
  unread = 3
  service.emit('message.received', message())
  await waitUntil(() => fake.title === '3', 2_000, 'the tray to recount on its own')
  assert.equal(fake.title, '3')
})

test('a burst of events costs at most two recounts after the one running', async () => {
  const service = fixedService()
  const { tray, totals } = setup(service)
  await tray.refresh()
  const before = service.calls.length
  const shownBefore = totals.length
  for (let i = 0; i < 50; i++) service.emit('message.received', message())
  // Settled: the burst started a recount, and every recount started has reached the tray (the
  // next one would start in the same turn as the last one shows, so a poll never sees a gap).
  const recounts = (): number => service.calls.length - before
  await waitUntil(() => recounts() > 0 && totals.length - shownBefore === recounts(), 2_000, 'the recounts to settle')
  assert.ok(recounts() <= 2)
})

test('without an identity the count is zero', async () => {
  const service = fixedService({ 'channels.list': async () => { throw BitChatError.identityMissing() } })
  const { tray, fake } = setup(service)
  await tray.refresh()
  assert.equal(fake.tooltip, 'BitChat')
})

test('clicking the tray or its Show item shows the window; Quit quits', () => {
  const { fake, shown, quits } = setup()
  fake.emit('click')
  const show = fake.menu.find(i => i.label === 'Show BitChat')
  const quit = fake.menu.find(i => i.label === 'Quit BitChat')
  ;(show?.click as () => void)()
  ;(quit?.click as () => void)()
  assert.equal(shown(), 2)
  assert.equal(quits(), 1)
})

test('destroy removes the tray and stops listening', () => {
  const { tray, fake, service } = setup()
  tray.destroy()
  assert.equal(fake.destroyed, true)
  assert.equal(service.listenerCount(), 0)
})
