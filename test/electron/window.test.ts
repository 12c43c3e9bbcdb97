import { test } from 'node:test'
import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import type { BrowserWindowConstructorOptions } from 'electron'
import { createLogger } from '../../core/log.ts'
import { createAppWindow, revealWindow, type AppWindow, type SessionLike, type WindowContents } from '../../electron/window.ts'

type Headers = Record<string, string | string[]>

class FakeSession implements SessionLike {
  headersListener: ((details: { responseHeaders?: Headers }, callback: (r: { responseHeaders?: Headers }) => void) => void) | null = null
  requestHandler: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null
  checkHandler: ((contents: unknown, permission: string) => boolean) | null = null
  webRequest = { onHeadersReceived: (l: NonNullable<FakeSession['headersListener']>) => { this.headersListener = l } }
  setPermissionRequestHandler (h: NonNullable<FakeSession['requestHandler']>): void { this.requestHandler = h }
  setPermissionCheckHandler (h: NonNullable<FakeSession['checkHandler']>): void { this.checkHandler = h }
}

class FakeContents extends EventEmitter implements WindowContents {
  session = new FakeSession()
  openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null
  send (): void {}
  isDestroyed (): boolean { return false }
  setWindowOpenHandler (h: (details: { url: string }) => { action: 'deny' }): void { this.openHandler = h }
}

class FakeWindow extends EventEmitter implements AppWindow {
  static created: FakeWindow[] = []
  webContents = new FakeContents()
  loaded: string[] = []
  shown = 0
  focused = 0
  restored = 0
  minimized = false
  options: BrowserWindowConstructorOptions
  constructor (options: BrowserWindowConstructorOptions) {
    super()
    this.options = options
    FakeWindow.created.push(this)
  }

  async loadFile (file: string): Promise<void> { this.loaded.push(file) }
  show (): void { this.shown++ }
  focus (): void { this.focused++ }
  restore (): void { this.restored++; this.minimized = false }
  isMinimized (): boolean { return this.minimized }
  isFocused (): boolean { return false }
  isDestroyed (): boolean { return false }
}

function open () {
  const external: string[] = []
  const win = createAppWindow({
    BrowserWindow: FakeWindow,
    shell: { openExternal: async url => { external.push(url) } },
    indexFile: '/app/dist/renderer/index.html',
    preloadFile: '/app/dist/electron/preload.cjs',
    icon: '/app/assets/icon.png',
    log: createLogger({ write: () => {} })
  }) as FakeWindow
  return { win, contents: win.webContents, external }
}

const preventable = () => {
  const event = { prevented: false, preventDefault () { event.prevented = true } }
  return event
}

test('the window is created sandboxed, isolated and without Node', () => {
  const { win } = open()
  assert.deepEqual(win.options.webPreferences, {
    preload: '/app/dist/electron/preload.cjs',
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false
  })
})

test('the bundled renderer is loaded from disk and shown when ready', () => {
  const { win } = open()
  assert.deepEqual(win.loaded, ['/app/dist/renderer/index.html'])
  assert.equal(win.options.show, false)
  win.emit('ready-to-show')
  assert.equal(win.shown, 1)
})

test('every navigation is prevented', () => {
  const { contents, external } = open()
  for (const url of ['https://evil.example/', 'file:///etc/passwd', 'javascript:alert(1)', 'http://example.com/']) {
    const event = preventable()
    contents.emit('will-navigate', event, url)
    assert.equal(event.prevented, true, url)
  }
  assert.deepEqual(external, ['https://evil.example/'])
})

test('window.open is denied; https links open in the browser, nothing else does', () => {
  const { contents, external } = open()
  for (const url of ['https://example.com/a', 'http://example.com/', 'file:///etc/passwd', 'bitchat:?v=1', 'smb://host/share', 'not a url']) {
    assert.deepEqual(contents.openHandler?.({ url }), { action: 'deny' }, url)
  }
  assert.deepEqual(external, ['https://example.com/a'])
})

test('webviews cannot be attached', () => {
  const { contents } = open()
  const event = preventable()
  contents.emit('will-attach-webview', event)
  assert.equal(event.prevented, true)
})

test('responses get the strict Content-Security-Policy', () => {
  const { contents } = open()
  let result: { responseHeaders?: Headers } = {}
  contents.session.headersListener?.({ responseHeaders: { 'Content-Type': ['text/html'] } }, r => { result = r })
  assert.equal(result.responseHeaders?.['Content-Type']?.[0], 'text/html')
  const policy = String(result.responseHeaders?.['Content-Security-Policy'])
  assert.match(policy, /default-src 'none'/)
  assert.match(policy, /script-src 'self'(;|$)/)
  assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/)
})

test('permission requests are denied except writing to the clipboard', () => {
  const { contents } = open()
  const answers: Record<string, boolean> = {}
  for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'clipboard-sanitized-write']) {
    contents.session.requestHandler?.(null, permission, granted => { answers[permission] = granted })
  }
  assert.deepEqual(answers, { media: false, geolocation: false, notifications: false, openExternal: false, 'clipboard-read': false, 'clipboard-sanitized-write': true })
  assert.equal(contents.session.checkHandler?.(null, 'media'), false)
})

test('revealing a minimized window restores, shows and focuses it', () => {
  const { win } = open()
  win.minimized = true
  revealWindow(win)
  assert.deepEqual([win.restored, win.shown, win.focused], [1, 1, 1])
})
