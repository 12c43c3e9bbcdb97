import { memo, useRef, useState, type MouseEvent } from 'react'
import type { MessageInfo } from '../../../core/api/contract.ts'
import { useClient } from '../app/client-context.ts'
import { startEdit, startReply, toggleReaction } from '../app/message-actions.ts'
import { copyText } from '../lib/clipboard.ts'
import type { PersonLabel } from '../lib/people.ts'
import { formatDateTime, formatTime } from '../lib/time.ts'
import { actions } from '../store/store.ts'
import { Avatar } from './Avatar.tsx'
import { EmojiPicker } from './EmojiPicker.tsx'
import { Icon } from './Icon.tsx'
import { MessageMenu, type MessageAction } from './MessageMenu.tsx'
import { MessageQuote } from './MessageQuote.tsx'
import { MessageStateMark } from './MessageStateMark.tsx'
import { MessageText } from './MessageText.tsx'
import { PersonName } from './PersonBadges.tsx'
import type { PopoverAnchor } from './Popover.tsx'
import { ReactionChips } from './ReactionChips.tsx'

const FLAGGED_HINT = 'This person signed two different messages as the same message. They may be showing different people different versions of the conversation. BitChat keeps and shows both.'

type Open = { kind: 'menu' | 'react'; anchor: PopoverAnchor; returnFocus: HTMLElement | null }

/**
 * One message bubble; `continued` drops the name and avatar under a previous message by the same
 * author; `conflicting` marks a message whose author signed another version of it; `author` is how
 * to name its author (your name for a contact, badges, warnings), else the name they signed;
 * `sending`: one of ours the core has not answered for yet. Its actions (react, reply, more) show
 * on hover and focus, and as a menu on right click or the context-menu key.
 */
export const MessageItem = memo(function MessageItem ({ message, continued, conflicting = false, sending = false, author }: { message: MessageInfo; continued: boolean; conflicting?: boolean; sending?: boolean; author?: PersonLabel | undefined }) {
  const client = useClient()
  const [open, setOpen] = useState<Open | null>(null)
  const more = useRef<HTMLButtonElement>(null)
  const label = author ?? { name: message.authorName, theirName: null, contact: false, verified: false, blocked: false, warning: null, imitation: false }
  const deleted = message.deleted === true
  const actionable = !sending && !deleted
  const mentionsMe = message.mentionsMe === true && !deleted
  const classes = ['message', message.own ? 'message--own' : 'message--other', continued ? 'message--continued' : '', deleted ? 'message--deleted' : '', mentionsMe ? 'message--mentions-me' : ''].filter(Boolean).join(' ')

  const act = (action: MessageAction): void => {
    const returnFocus = open?.returnFocus ?? more.current
    setOpen(null)
    if (action === 'reply') startReply(message)
    else if (action === 'edit') startEdit(message)
    else if (action === 'react') setOpen({ kind: 'react', anchor: { element: more.current ?? document.body }, returnFocus })
    else if (action === 'delete') actions().dialogOpened({ kind: 'delete-message', channelId: message.channelId, messageId: message.messageId })
    else {
      copyText(message.text).then(
        () => { actions().noticePosted('info', 'Message copied') },
        () => { actions().noticePosted('error', 'Could not copy the message') }
      )
    }
    if (action === 'reply' || action === 'edit') document.querySelector<HTMLElement>('.composer__input')?.focus()
  }
  const onContextMenu = (event: MouseEvent): void => {
    if (!actionable) return
    event.preventDefault()
    const returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null
    // The context-menu key gives no pointer position: open where the actions are.
    const anchor = event.clientX === 0 && event.clientY === 0 ? { element: more.current ?? document.body } : { x: event.clientX, y: event.clientY }
    setOpen({ kind: 'menu', anchor, returnFocus })
  }
  const react = (emoji: string): void => {
    setOpen(null)
    void toggleReaction(client, message, emoji)
  }

  return (
    <article className={classes} data-testid="message" data-own={message.own ? 'true' : 'false'} onContextMenu={onContextMenu}>
      {!message.own && (
        <div className="message__gutter">
          {!continued && <Avatar name={label.name} publicKey={message.author} size="sm" />}
        </div>
      )}
      <div className="message__content">
        {!continued && !message.own && (
          <span className="message__author">
            <PersonName label={label} />
            {message.authorFlagged === true && <span className="tag tag--flagged" title={FLAGGED_HINT}>Sent conflicting messages</span>}
          </span>
        )}
        {message.own && <span className="visually-hidden">You</span>}
        <div className="message__line">
          <div className="message__bubble">
            {message.replyTo !== undefined && !deleted && <MessageQuote quote={message.replyTo} />}
            {deleted
              ? <span className="message__text message__text--deleted">This message was deleted</span>
              : <MessageText channelId={message.channelId} text={message.text} mentions={message.mentions} />}
            {mentionsMe && <span className="visually-hidden">Mentions you.</span>}
            {conflicting && <span className="message__conflict" title={FLAGGED_HINT}>Another version of this message exists</span>}
            <span className="message__meta">
              {message.editedAt !== undefined && !deleted && (
                <span className="message__edited" title={`Edited ${formatDateTime(message.editedAt)}`} data-testid="edited">(edited)</span>
              )}
              <time className="message__time" dateTime={new Date(message.timestamp).toISOString()} title={formatDateTime(message.timestamp)}>
                {formatTime(message.timestamp)}
              </time>
              {message.own && <MessageStateMark message={message} sending={sending} />}
            </span>
          </div>
          {actionable && (
            <div className={`message-actions${open === null ? '' : ' message-actions--open'}`} role="toolbar" aria-label="Message actions">
              <button type="button" className="message-actions__button" aria-label="React" title="React" aria-haspopup="dialog" aria-expanded={open?.kind === 'react'}
                onClick={e => { setOpen({ kind: 'react', anchor: { element: e.currentTarget }, returnFocus: e.currentTarget }) }}>
                <Icon name="smile" size={17} />
              </button>
              <button type="button" className="message-actions__button" aria-label="Reply" title="Reply" onClick={() => { act('reply') }}>
                <Icon name="reply" size={17} />
              </button>
              <button ref={more} type="button" className="message-actions__button" aria-label="More actions" title="More actions" aria-haspopup="menu" aria-expanded={open?.kind === 'menu'}
                onClick={e => { setOpen({ kind: 'menu', anchor: { element: e.currentTarget }, returnFocus: e.currentTarget }) }}>
                <Icon name="more" size={17} />
              </button>
            </div>
          )}
        </div>
        {!deleted && <ReactionChips message={message} onToggle={emoji => { void toggleReaction(client, message, emoji) }} />}
      </div>
      {open?.kind === 'menu' && <MessageMenu message={message} anchor={open.anchor} returnFocus={open.returnFocus} onAction={act} onClose={() => { setOpen(null) }} />}
      {open?.kind === 'react' && <EmojiPicker message={message} anchor={open.anchor} returnFocus={open.returnFocus} onPick={react} onClose={() => { setOpen(null) }} />}
    </article>
  )
})
