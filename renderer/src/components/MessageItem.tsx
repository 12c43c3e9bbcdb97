import { memo } from 'react'
import type { MessageInfo } from '../../../core/api/contract.ts'
import type { PersonLabel } from '../lib/people.ts'
import { formatDateTime, formatTime } from '../lib/time.ts'
import { Avatar } from './Avatar.tsx'
import { MessageStateMark } from './MessageStateMark.tsx'
import { PersonName } from './PersonBadges.tsx'

const FLAGGED_HINT = 'This person signed two different messages as the same message. They may be showing different people different versions of the conversation. BitChat keeps and shows both.'

/**
 * One message bubble; `continued` drops the name and avatar under a previous message by the same
 * author; `conflicting` marks a message whose author signed another version of it; `author` is how
 * to name its author (your name for a contact, badges, warnings), else the name they signed;
 * `sending`: one of ours the core has not answered for yet.
 */
export const MessageItem = memo(function MessageItem ({ message, continued, conflicting = false, sending = false, author }: { message: MessageInfo; continued: boolean; conflicting?: boolean; sending?: boolean; author?: PersonLabel | undefined }) {
  const label = author ?? { name: message.authorName, theirName: null, contact: false, verified: false, blocked: false, warning: null, imitation: false }
  const classes = ['message', message.own ? 'message--own' : 'message--other', continued ? 'message--continued' : ''].filter(Boolean).join(' ')
  return (
    <article className={classes} data-testid="message" data-own={message.own ? 'true' : 'false'}>
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
        <div className="message__bubble">
          <span className="message__text" dir="auto">{message.text}</span>
          {conflicting && <span className="message__conflict" title={FLAGGED_HINT}>Another version of this message exists</span>}
          <span className="message__meta">
            <time className="message__time" dateTime={new Date(message.timestamp).toISOString()} title={formatDateTime(message.timestamp)}>
              {formatTime(message.timestamp)}
            </time>
            {message.own && <MessageStateMark message={message} sending={sending} />}
          </span>
        </div>
      </div>
    </article>
  )
})
