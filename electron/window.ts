// The one BitChat window, locked down: the renderer is a sandboxed page with no Node, no remote
// content, no navigation and no new windows; its only door out is the preload's `window.bitchat`.
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron'
import type { Logger } from '../core/log.ts'
import { contentSecurityPolicy } from '../core/web/content-security-policy.ts'
import type { PreventableEvent } from './preventable-event.ts'
import type { RendererTarget } from './renderer-channel.ts'
import { errorMessage } from '../core/error-message.ts'

type Headers = Record<string, string | string[]>

export interface SessionLike {
  webRequest: {
    onHeadersReceived (listener: (details: { responseHeaders?: Headers }, callback: (response: { responseHeaders?: Headers }) => void) => void): void
  }
  setPermissionRequestHandler (handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void
  setPermissionCheckHandler (handler: (contents: unknown, permission: string) => boolean): void
}

export interface WindowContents extends RendererTarget {
  readonly session: SessionLike
  on (event: 'will-navigate', listener: (event: PreventableEvent, url: string) => void): unknown
  on (event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown
  on (event: 'did-finish-load', listener: () => void): unknown
  setWindowOpenHandler (handler: (details: { url: string }) => { action: 'deny' }): void
}

export interface AppWindow {
  readonly webContents: WindowContents
  loadFile (file: string): Promise<void>
  once (event: 'ready-to-show', listener: () => void): unknown
  on (event: 'closed', listener: () => void): unknown
  show (): void
  focus (): void
  restore (): void
  isMinimized (): boolean
  isFocused (): boolean
  isDestroyed (): boolean
}

export interface WindowOptions {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => AppWindow
  shell: { openExternal (url: string): Promise<void> }
  indexFile: string
  preloadFile: string
  icon: string
  log: Logger
}

/** The permission the renderer may use: writing to the clipboard (copy a link). Nothing else. */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write'])

function hardenedWebPreferences (preloadFile: string): WebPreferences {
  return {
    preload: preloadFile,
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
    // Chromium's spellchecker fetches dictionaries from Google on Linux and Windows: no third-party traffic.
    spellcheck: false
  }
}

export function createAppWindow (opts: WindowOptions): AppWindow {
  const win = new opts.BrowserWindow({
    width: 1100,
    height: 760,
    minWidth: 640,
    minHeight: 480,
    title: 'BitChat',
    icon: opts.icon,
    show: false,
    webPreferences: hardenedWebPreferences(opts.preloadFile)
  })
  lockDownContents(win.webContents, opts.shell, opts.log)
  win.once('ready-to-show', () => { win.show() })
  win.loadFile(opts.indexFile).catch((err: unknown) => {
    opts.log.error('could not load the renderer', { file: opts.indexFile, error: errorMessage(err) })
  })
  return win
}

function lockDownContents (contents: WindowContents, shell: WindowOptions['shell'], log: Logger): void {
  const policy = contentSecurityPolicy()
  contents.session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } })
  })
  contents.session.setPermissionRequestHandler((_contents, permission, callback) => { callback(ALLOWED_PERMISSIONS.has(permission)) })
  contents.session.setPermissionCheckHandler((_contents, permission) => ALLOWED_PERMISSIONS.has(permission))

  const openOutside = (url: string): void => {
    if (!isHttpsUrl(url)) {
      log.warn('blocked navigation', { url: url.slice(0, 200) })
      return
    }
    shell.openExternal(url).catch((err: unknown) => {
      log.warn('could not open a link in the browser', { error: errorMessage(err) })
    })
  }
  contents.on('will-navigate', (event, url) => {
    event.preventDefault()
    openOutside(url)
  })
  contents.on('will-attach-webview', event => { event.preventDefault() })
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url)
    return { action: 'deny' }
  })
}

function isHttpsUrl (url: string): boolean {
  try {
    return new URL(url).protocol === 'https:'
  } catch {
    return false
  }
}

/** Brings the window to the front, restoring it when minimized. */
export function revealWindow (win: AppWindow): void {
  if (win.isDestroyed()) return
  if (win.isMinimized()) win.restore()
  win.show()
  win.focus()
}
