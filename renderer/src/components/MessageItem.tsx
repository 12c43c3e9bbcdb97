import { memo } from 'react'
import type { MessageInfo } from '../../../core/api/contract.ts'
import { formatDateTime, formatTime } from '../lib/time.ts'
import { Avatar } from './Avatar.tsx'

/** One message bubble; `continued` drops the name and avatar under a previous message by the same author. */
export const MessageItem = memo(function MessageItem ({ message, continued }: { message: MessageInfo; continued: boolean }) {
  const classes = ['message', message.own ? 'message--own' : 'message--other', continued ? 'message--continued' : ''].filter(Boolean).join(' ')
  return (
    <article className={classes} data-testid="message" data-own={message.own ? 'true' : 'false'}>
      {!message.own && (
        <div className="message__gutter">
          {!continued && <Avatar name={message.authorName} publicKey={message.author} size="sm" />}
        </div>
      )}
      <div className="message__content">
        {!continued && !message.own && <span className="message__author" dir="auto">{message.authorName}</span>}
        {message.own && <span className="visually-hidden">You</span>}
        <div className="message__bubble">
          <span className="message__text" dir="auto">{message.text}</span>
          <time className="message__time" dateTime={new Date(message.timestamp).toISOString()} title={formatDateTime(message.timestamp)}>
            {formatTime(message.timestamp)}
          </time>
        </div>
      </div>
    </article>
  )
})
