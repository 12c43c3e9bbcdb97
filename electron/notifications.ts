// Native notifications for messages from others while the person is looking elsewhere;
// clicking one brings them to that channel.
import type { BitChatEvents } from '../core/api/contract.ts'
import type { BitChatService } from '../core/api/service.ts'

export interface NotificationLike {
  on (event: 'click', listener: () => void): unknown
  on (event: 'close', listener: () => void): unknown
  show (): void
}

export interface NotificationClass {
  new (options: { title: string; body: string; icon?: string; silent?: boolean }): NotificationLike
  isSupported (): boolean
}

export interface MessageNotifierOptions {
  service: BitChatService
  Notification: NotificationClass
  isWindowFocused: () => boolean
  /** Shows the window and the channel. */
  openChannel: (channelId: string) => void
  icon?: string
}

const MAX_BODY = 200
/** Electron drops the click handler of a notification that was garbage-collected: keep the recent ones. */
const MAX_LIVE = 32

/** Starts notifying; the returned function stops. */
export function notifyIncomingMessages (opts: MessageNotifierOptions): () => void {
  const live = new Set<NotificationLike>()
  return opts.service.onEvent((event, payload) => {
    if (event !== 'message.received') return
    const { more, ...first } = payload as BitChatEvents['message.received']
    // A catch-up stores messages by the dozen: one notification for each group, not a flood of them.
    const others = [first, ...(more ?? [])].filter(m => !m.own)
    const last = others.at(-1)
    if (last === undefined || opts.isWindowFocused() || !opts.Notification.isSupported()) return
    const notification = new opts.Notification({
      title: others.length === 1 ? last.authorName : `${others.length} new messages`,
      body: shorten(others.length === 1 ? last.text : `${last.authorName}: ${last.text}`),
      ...(opts.icon === undefined ? {} : { icon: opts.icon })
    })
    live.add(notification)
    if (live.size > MAX_LIVE) live.delete(live.values().next().value as NotificationLike)
    notification.on('click', () => {
      live.delete(notification)
      opts.openChannel(last.channelId)
    })
    notification.on('close', () => { live.delete(notification) })
    notification.show()
  })
}

function shorten (text: string): string {
  return text.length > MAX_BODY ? text.slice(0, MAX_BODY - 1) + '…' : text
}
