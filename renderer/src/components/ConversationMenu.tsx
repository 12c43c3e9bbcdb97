import { useState, type MouseEvent, type ReactNode } from 'react'
import type { ChannelSummary } from '../../../core/api/contract.ts'
import { useClient } from '../app/client-context.ts'
import { setMuted } from '../app/mute.ts'
import { Icon } from './Icon.tsx'
import { moveFocus, Popover, type PopoverAnchor } from './Popover.tsx'

type Open = { anchor: PopoverAnchor; returnFocus: HTMLElement | null }

/**
 * A sidebar item's menu, on right click or the context-menu key: mute or unmute the conversation.
 * Returns the handler for the item and the menu to draw beside it.
 */
export function useConversationMenu (channel: ChannelSummary): { onContextMenu: (event: MouseEvent<HTMLElement>) => void; menu: ReactNode } {
  const client = useClient()
  const [open, setOpen] = useState<Open | null>(null)
  const muted = channel.muted === true
  const onContextMenu = (event: MouseEvent<HTMLElement>): void => {
    event.preventDefault()
    const item = event.currentTarget
    // The context-menu key gives no pointer position: open under the item.
    setOpen({ anchor: event.clientX === 0 && event.clientY === 0 ? { element: item } : { x: event.clientX, y: event.clientY }, returnFocus: item })
  }
  const menu = open === null
    ? null
    : (
      <Popover anchor={open.anchor} returnFocus={open.returnFocus} onClose={() => { setOpen(null) }} label="Conversation actions" role="menu" className="message-menu">
        <div className="message-menu__items" onKeyDown={e => { moveFocus(e) }}>
          <button type="button" role="menuitem" className="message-menu__item"
            onClick={() => {
              open.returnFocus?.focus()
              setOpen(null)
              void setMuted(client, channel.channelId, !muted)
            }}>
            <Icon name={muted ? 'bell' : 'bell-off'} size={16} />{muted ? 'Unmute conversation' : 'Mute conversation'}
          </button>
        </div>
      </Popover>
      )
  return { onContextMenu, menu }
}
