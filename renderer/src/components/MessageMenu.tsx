import type { MessageInfo } from '../../../core/api/contract.ts'
import { Icon, type IconName } from './Icon.tsx'
import { moveFocus, Popover, type PopoverAnchor } from './Popover.tsx'

export type MessageAction = 'reply' | 'react' | 'copy' | 'edit' | 'delete'

const ITEMS: ReadonlyArray<{ action: MessageAction; label: string; icon: IconName; ownOnly: boolean }> = [
  { action: 'reply', label: 'Reply', icon: 'reply', ownOnly: false },
  { action: 'react', label: 'React…', icon: 'smile', ownOnly: false },
  { action: 'copy', label: 'Copy text', icon: 'copy', ownOnly: false },
  { action: 'edit', label: 'Edit', icon: 'edit', ownOnly: true },
  { action: 'delete', label: 'Delete for everyone…', icon: 'trash', ownOnly: true }
]

/** What can be done to a message: every action for our own, reply, react and copy for others'. */
export function MessageMenu ({ message, anchor, returnFocus, onAction, onClose }: {
  message: MessageInfo
  anchor: PopoverAnchor
  returnFocus?: HTMLElement | null | undefined
  onAction: (action: MessageAction) => void
  onClose: () => void
}) {
  return (
    <Popover anchor={anchor} onClose={onClose} returnFocus={returnFocus} label="Message actions" role="menu" className="message-menu">
      <div className="message-menu__items" onKeyDown={e => { moveFocus(e) }}>
        {ITEMS.filter(item => message.own || !item.ownOnly).map(item => (
          <button key={item.action} type="button" role="menuitem" className={`message-menu__item${item.action === 'delete' ? ' message-menu__item--danger' : ''}`}
            onClick={() => { onAction(item.action) }}>
            <Icon name={item.icon} size={16} />{item.label}
          </button>
        ))}
      </div>
    </Popover>
  )
}
