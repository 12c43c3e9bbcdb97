import { test } from 'node:test'
import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import type { MenuItemConstructorOptions } from 'electron'
import { createLogger } from '../../core/log.ts'
import { appMenuTemplate } from '../../electron/menu.ts'
import { closeServiceBeforeQuit } from '../../electron/quit.ts'
import { fixedService } from '../rpc/fixed-service.ts'
import { waitUntil } from '../helpers/wait.ts'

function roles (items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap(item => [item, ...(Array.isArray(item.submenu) ? roles(item.submenu) : [])])
}

for (const platform of ['linux', 'win32', 'darwin']) {
  test(`the ${platform} menu quits with CmdOrCtrl+Q and has the edit, view and window roles`, () => {
    const items = roles(appMenuTemplate(platform))
    const quit = items.find(i => i.role === 'quit')
    assert.equal(quit?.accelerator, 'CmdOrCtrl+Q')
    for (const role of ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'reload', 'zoomIn', 'zoomOut', 'resetZoom', 'togglefullscreen', 'minimize']) {
      assert.ok(items.some(i => i.role === role), role)
    }
  })
}

class FakeApp extends EventEmitter {
  quits = 0
  quit (): void {
    this.quits++
    const event = { prevented: false, preventDefault () { event.prevented = true } }
    this.emit('before-quit', event)
    this.lastPrevented = event.prevented
  }

  lastPrevented = false
}

test('quitting waits for the node to close, then quits for real', async () => {
  let finish = (): void => {}
  const service = fixedService()
  service.close = () => new Promise<void>(resolve => { finish = resolve })
  const app = new FakeApp()
  closeServiceBeforeQuit(app, service, createLogger({ write: () => {} }))
  app.quit()
  assert.equal(app.lastPrevented, true)
  app.quit()
  assert.equal(app.lastPrevented, true)
  finish()
  await waitUntil(() => app.quits > 2, 2_000, 'the app to quit again once the node closed')
  assert.equal(app.quits, 3)
  assert.equal(app.lastPrevented, false)
})

test('a node that fails to close does not keep the app from quitting', async () => {
  const service = fixedService()
  service.close = async () => { throw new Error('busy') }
  const app = new FakeApp()
  const log: string[] = []
  closeServiceBeforeQuit(app, service, createLogger({ write: l => { log.push(l) } }))
  app.quit()
  await waitUntil(() => app.quits > 1, 2_000, 'the app to quit again after the failed close')
  assert.equal(app.lastPrevented, false)
  assert.ok(log.some(l => l.includes('busy')))
})
