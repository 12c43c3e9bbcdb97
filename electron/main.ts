// Electron's main process: the only file that touches the real Electron modules. It starts the
// node and hands the modules to the small testable parts that do the work.
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, shell, Tray } from 'electron'
import path from 'node:path'
import type { BitChatService } from '../core/api/service.ts'
import { createLogger, isLogLevel } from '../core/log.ts'
import { startNode } from '../core/node/node.ts'
import { claimSingleInstance, listenForOpenTargets, registerProtocolClient } from './app-lifecycle.ts'
import { appMenuTemplate } from './menu.ts'
import { appUrlMatcher } from './app-url.ts'
import { createChannelOpener } from './channel-opener.ts'
import { bridgeServiceToIpc } from './ipc-bridge.ts'
import { notifyIncomingMessages } from './notifications.ts'
import { closeServiceBeforeQuit } from './quit.ts'
import { FOCUS_CHANNEL_EVENT, sendRendererEvent } from './renderer-channel.ts'
import { createUnreadTray } from './tray.ts'
import { createAppWindow, revealWindow } from './window.ts'
import type { AppWindow } from './window.ts'
import { errorMessage } from '../core/error-message.ts'
import { installSafetyNet, strictErrors } from '../core/safety-net.ts'

// This file is dist/electron/main.js at run time.
const dist = path.resolve(import.meta.dirname, '..')
const files = {
  indexFile: path.join(dist, 'renderer', 'index.html'),
  preloadFile: path.join(dist, 'electron', 'preload.cjs'),
  icon: path.join(dist, '..', 'assets', 'icon.png'),
  // tray@2x.png beside it is picked up on high-density screens.
  trayIcon: path.join(dist, '..', 'assets', 'tray.png')
}

const level = process.env.BITCHAT_LOG_LEVEL
const log = createLogger({ level: isLogLevel(level) ? level : 'info' }).child({ process: 'main' })
// One channel's stray error is logged, not a crashed app with a dialog.
if (!strictErrors(process.env)) installSafetyNet(process, log)

// One data folder whatever the launch (`electron .` says "bitchat", the packaged app "BitChat").
app.setPath('userData', path.join(app.getPath('appData'), 'BitChat'))

if (claimSingleInstance(app)) {
  let win: AppWindow | null = null
  let loaded: Promise<void> = Promise.resolve()
  const showWindow = (): void => { if (win !== null) revealWindow(win) }
  const router = listenForOpenTargets(app, process, showWindow)
  registerProtocolClient(app, process)
  app.on('window-all-closed', () => { if (process.platform !== 'darwin') app.quit() })

  const openWindow = (): AppWindow => {
    const created = createAppWindow({ BrowserWindow, shell, indexFile: files.indexFile, preloadFile: files.preloadFile, icon: files.icon, log })
    loaded = new Promise(resolve => { created.webContents.on('did-finish-load', () => { resolve() }) })
    created.on('closed', () => { if (win === created) win = null })
    win = created
    return created
  }

  const showOrOpenWindow = (): AppWindow => {
    const target = win ?? openWindow()
    revealWindow(target)
    return target
  }

  // The renderer learns which channel to show once it has loaded and subscribed to events.
  const focusChannel = (channelId: string): void => {
    const target = showOrOpenWindow()
    void loaded.then(() => { sendRendererEvent(target.webContents, FOCUS_CHANNEL_EVENT, { channelId }) })
  }

  const start = async (): Promise<void> => {
    let service: BitChatService
    try {
      service = await startNode({ dataDir: app.getPath('userData'), log })
    } catch (err) {
      dialog.showErrorBox('BitChat could not start', errorMessage(err))
      app.exit(1)
      return
    }
    closeServiceBeforeQuit(app, service, log)
    Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(process.platform, 'BitChat')))
    bridgeServiceToIpc({ service, ipcMain, isAppUrl: appUrlMatcher(files.indexFile), renderer: () => win?.webContents ?? null, log })
    openWindow()
    notifyIncomingMessages({ service, Notification, isWindowFocused: () => win?.isFocused() ?? false, openChannel: focusChannel, icon: files.icon })
    createUnreadTray({
      Tray,
      Menu,
      icon: files.trayIcon,
      service,
      showWindow: () => { showOrOpenWindow() },
      quit: () => { app.quit() },
      onUnreadTotal: total => { app.setBadgeCount(total) },
      log
    })
    const opener = createChannelOpener({ service, focusChannel, showError: (title, message) => { dialog.showErrorBox(title, message) }, log })
    void loaded.then(() => { router.start(opener.open) })
    app.on('activate', () => { showOrOpenWindow() })
  }

  app.whenReady().then(start).catch((err: unknown) => {
    log.error('startup failed', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) })
    app.exit(1)
  })
}
