import { useEffect } from 'react'
import { sidebarOrder } from '../store/channels.ts'
import { actions } from '../store/store.ts'
import { useClient } from './client-context.ts'
import { openChannel } from './commands.ts'

/** Alt+↑ / Alt+↓ move between conversations (channels, then direct messages) from anywhere, the way desktop messengers do. */
export function useChannelShortcuts (): void {
  const client = useClient()
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (!event.altKey || event.ctrlKey || event.metaKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return
      const store = actions()
      if (store.dialog !== null) return
      const channels = sidebarOrder(store.channels, store.contacts, store.activeChannelId)
      if (channels.length === 0) return
      event.preventDefault()
      const current = channels.findIndex(c => c.channelId === store.activeChannelId)
      const step = event.key === 'ArrowUp' ? -1 : 1
      const next = channels[(current + step + channels.length) % channels.length]
      if (next !== undefined) void openChannel(client, next.channelId)
    }
    window.addEventListener('keydown', onKeyDown)
    return () => { window.removeEventListener('keydown', onKeyDown) }
  }, [client])
}
