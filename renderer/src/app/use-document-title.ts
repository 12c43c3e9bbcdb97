import { useEffect } from 'react'
import { shownUnread } from '../store/channels.ts'
import { useAppStore } from '../store/store.ts'

/** "(3) BitChat": the unread total shows in the window title, the taskbar and the browser tab. */
export function useDocumentTitle (): void {
  const unread = useAppStore(s => {
    let total = 0
    for (const channel of s.channels.values()) total += shownUnread(channel, s.activeChannelId)
    return total
  })
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) BitChat` : 'BitChat'
  }, [unread])
}
