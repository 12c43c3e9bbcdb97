// Notifications in the web UI (the renderer in a browser), through the browser's Notification API:
// for messages from others and mentions of you while the page is hidden or unfocused, one for each
// burst the core stores together (what it says: core/api/notification-rule.ts, as the desktop app).
// Off until the user turns them on (the browser asks for permission only from that action); never
// for a muted conversation but a mention of you, never while the window is locked. In the desktop
// app the main process notifies, so the window there never does.
import type { BitChatClient, Hex } from '../../../core/api/contract.ts'
import { planNotification } from '../../../core/api/notification-rule.ts'
import { actions } from '../store/store.ts'

/** What this module uses of the browser's Notification class (tests give a fake one). */
export interface NotificationApi {
  new (title: string, options: { body: string; tag: string; icon?: string }): { onclick: (() => void) | null; close(): void }
  readonly permission: 'default' | 'denied' | 'granted'
  requestPermission(): Promise<'default' | 'denied' | 'granted'>
}

const STORAGE_KEY = 'bitchat.notifications'

/** The browser's Notification API, when this window should use it: a browser that has one, not the desktop app. */
export function browserNotifications (): NotificationApi | null {
  if (typeof window === 'undefined' || window.bitchat !== undefined) return null
  const api = (globalThis as { Notification?: NotificationApi }).Notification
  return api === undefined ? null : api
}

/** The user's choice, kept in this window's storage: 'on', 'off', or null before they made one. */
export function notificationChoice (): 'on' | 'off' | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY)
    return value === 'on' || value === 'off' ? value : null
  } catch {
    return null
  }
}

function saveChoice (choice: 'on' | 'off'): void {
  try {
    localStorage.setItem(STORAGE_KEY, choice)
  } catch {
    // Storage refused (a private window): the choice lasts until the page closes.
  }
}

/** Whether notifications are shown now: chosen, and allowed by the browser. */
export function notificationsOn (api: NotificationApi | null): boolean {
  return api !== null && api.permission === 'granted' && notificationChoice() === 'on'
}

/**
 * Turns notifications on or off; call it from a user action only (a browser asks for permission
 * only then). Resolves to whether they are on now: false when the browser or the user refused.
 */
export async function chooseNotifications (api: NotificationApi | null, on: boolean): Promise<boolean> {
  if (api === null) return false
  if (!on) {
    saveChoice('off')
    return false
  }
  const permission = api.permission === 'granted' ? 'granted' : await api.requestPermission()
  saveChoice(permission === 'granted' ? 'on' : 'off')
  return permission === 'granted'
}

export interface WebNotifierOptions {
  Notification: NotificationApi
  /** Whether the person is looking at the page now (visible and focused). */
  isLooking: () => boolean
  /** Brings the window forward and shows the conversation. */
  open: (channelId: Hex) => void
  icon?: string
}

/** Notifies for the core's message.received events while the page is not looked at; returns the unsubscribe. */
export function bindWebNotifications (client: BitChatClient, opts: WebNotifierOptions): () => void {
  return client.on('message.received', ({ more, ...first }) => {
    const state = actions()
    if (!notificationsOn(opts.Notification) || opts.isLooking() || state.uiLocked || state.identityStatus?.state !== 'ready') return
    const plan = planNotification([first, ...(more ?? [])], channelId => state.channels.get(channelId)?.muted === true)
    if (plan === null) return
    // One per conversation at a time: a newer burst replaces the one before rather than piling up.
    const notification = new opts.Notification(plan.title, { body: plan.body, tag: `bitchat-${plan.channelId}`, ...(opts.icon === undefined ? {} : { icon: opts.icon }) })
    notification.onclick = () => {
      notification.close()
      opts.open(plan.channelId)
    }
  })
}
