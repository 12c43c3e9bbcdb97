// Native notifications for messages from others while the person is looking elsewhere (what each
// burst says: core/api/notification-rule.ts); clicking one brings them to that channel. A muted
// conversation notifies only a mention of us.
import type { BitChatEvents, ChannelSummary } from '../core/api/contract.ts'
import { planNotification } from '../core/api/notification-rule.ts'
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

/** Electron drops the click handler of a notification that was garbage-collected: keep the recent ones. */
const MAX_LIVE = 32

/** Starts notifying; the returned function stops. */
export function notifyIncomingMessages (opts: MessageNotifierOptions): () => void {
  const live = new Set<NotificationLike>()
  // Which conversations are muted, read when the identity is ready and kept up from the summaries the core sends.
  const muted = new Set<string>()
  const learn = (summary: ChannelSummary): void => {
    if (summary.muted === true) muted.add(summary.channelId)
    else muted.delete(summary.channelId)
  }
  const readMuted = (): void => {
    opts.service.api['channels.list']({}).then(list => { for (const summary of list) learn(summary) }, () => {})
  }
  readMuted()
  return opts.service.onEvent((event, payload) => {
    if (event === 'channel.updated') learn(payload as ChannelSummary)
    else if (event === 'channel.removed') muted.delete((payload as BitChatEvents['channel.removed']).channelId)
    else if (event === 'identity.updated' && (payload as BitChatEvents['identity.updated']).state === 'ready') readMuted()
    if (event !== 'message.received') return
    const { more, ...first } = payload as BitChatEvents['message.received']
    if (opts.isWindowFocused() || !opts.Notification.isSupported()) return
    const plan = planNotification([first, ...(more ?? [])], channelId => muted.has(channelId))
    if (plan === null) return
    const notification = new opts.Notification({ title: plan.title, body: plan.body, ...(opts.icon === undefined ? {} : { icon: opts.icon }) })
    live.add(notification)
    if (live.size > MAX_LIVE) live.delete(live.values().next().value as NotificationLike)
    notification.on('click', () => {
      live.delete(notification)
      opts.openChannel(plan.channelId)
    })
    notification.on('close', () => { live.delete(notification) })
    notification.show()
  })
}
