// The tray icon: how many messages are unread across all channels, and a way back to the window.
import type { MenuItemConstructorOptions } from 'electron'
import type { BitChatService } from '../core/api/service.ts'
import type { Logger } from '../core/log.ts'
import { errorMessage } from '../core/error-message.ts'

export interface TrayLike<M> {
  setToolTip (text: string): void
  setTitle (title: string): void
  setContextMenu (menu: M): void
  on (event: 'click', listener: () => void): unknown
  destroy (): void
}

export interface UnreadTrayOptions<M> {
  Tray: new (icon: string) => TrayLike<M>
  Menu: { buildFromTemplate (template: MenuItemConstructorOptions[]): M }
  icon: string
  service: BitChatService
  showWindow: () => void
  quit: () => void
  /** Also reports the total elsewhere (the dock or launcher badge). */
  onUnreadTotal?: (total: number) => void
  log: Logger
}

export interface UnreadTray {
  /** Recounts now; resolves when the tray shows the new count. */
  refresh (): Promise<void>
  destroy (): void
}

const COUNT_EVENTS = new Set(['message.received', 'channel.updated', 'channel.removed', 'identity.updated'])

export function unreadLabel (total: number): string {
  if (total === 0) return 'BitChat'
  return `BitChat: ${total} unread message${total === 1 ? '' : 's'}`
}

export function createUnreadTray<M> (opts: UnreadTrayOptions<M>): UnreadTray {
  const tray = new opts.Tray(opts.icon)
  tray.setToolTip(unreadLabel(0))
  tray.setContextMenu(opts.Menu.buildFromTemplate([
    { label: 'Show BitChat', click: () => { opts.showWindow() } },
    { type: 'separator' },
    { label: 'Quit BitChat', click: () => { opts.quit() } }
  ]))
  tray.on('click', () => { opts.showWindow() })

  let destroyed = false
  let running: Promise<void> | null = null
  let again = false

  const count = async (): Promise<number> => {
    try {
      const channels = await opts.service.api['channels.list']({})
      return channels.reduce((sum, c) => sum + c.unread, 0)
    } catch (err) {
      // No identity yet, or a locked one: nothing can be unread.
      opts.log.debug('unread count unavailable', { error: errorMessage(err) })
      return 0
    }
  }

  // Bursts of events cost one recount in flight plus at most one after it.
  const refresh = (): Promise<void> => {
    if (running !== null) {
      again = true
      return running
    }
    running = (async () => {
      do {
        again = false
        const total = await count()
        if (destroyed) return
        tray.setToolTip(unreadLabel(total))
        tray.setTitle(total === 0 ? '' : String(total))
        opts.onUnreadTotal?.(total)
      } while (again)
    })().finally(() => { running = null })
    return running
  }

  const unsubscribe = opts.service.onEvent(event => {
    if (COUNT_EVENTS.has(event)) void refresh()
  })
  void refresh()

  return {
    refresh,
    destroy () {
      destroyed = true
      unsubscribe()
      tray.destroy()
    }
  }
}
