// What one burst of received messages notifies, for every shell that notifies (the desktop app's
// main process, the web UI in a browser): pure, so both say the same thing. A burst (a catch-up,
// messages stored together) is one notification; a muted conversation notifies only mentions of us.
// It imports nothing (the page runs it), so it names the fields of a MessageInfo it reads.

/** The fields of a MessageInfo (contract.ts) a notification reads. */
export interface NotifiedMessage {
  channelId: string
  authorName: string
  text: string
  own: boolean
  deleted?: boolean
  mentionsMe?: boolean
}

/** Characters of a notification's body. */
export const MAX_NOTIFICATION_BODY = 200

export interface NotificationPlan {
  title: string
  body: string
  /** The conversation a click opens: the shown message's. */
  channelId: string
  /** The shown message mentions us. */
  mention: boolean
}

/** Null when nothing in `messages` should notify: our own, deleted, or in muted conversations without a mention of us. */
export function planNotification (messages: readonly NotifiedMessage[], isMuted: (channelId: string) => boolean): NotificationPlan | null {
  const due = messages.filter(m => !m.own && m.deleted !== true && (m.mentionsMe === true || !isMuted(m.channelId)))
  const mentions = due.filter(m => m.mentionsMe === true)
  const shown = mentions.at(-1) ?? due.at(-1)
  if (shown === undefined) return null
  const mention = shown.mentionsMe === true
  if (due.length === 1) return { title: mention ? `${shown.authorName} mentioned you` : shown.authorName, body: shorten(shown.text), channelId: shown.channelId, mention }
  const title = mentions.length === 0 ? `${due.length} new messages` : `${due.length} new messages, ${mentions.length === 1 ? 'one mentions' : `${mentions.length} mention`} you`
  return { title, body: shorten(`${shown.authorName}: ${shown.text}`), channelId: shown.channelId, mention }
}

function shorten (text: string): string {
  return text.length > MAX_NOTIFICATION_BODY ? text.slice(0, MAX_NOTIFICATION_BODY - 1) + '…' : text
}
