import type { MessageInfo } from '../../../core/api/contract.ts'
import { useMessageList } from '../app/message-list-context.ts'
import { actions } from '../store/store.ts'

type Quote = NonNullable<MessageInfo['replyTo']>

/** Who wrote the quoted message, as this conversation names them. */
export function quotedAuthor (quote: Quote, nameOf: (publicKey: string) => string | undefined, me: string | undefined): string {
  if (quote.author !== undefined && quote.author === me) return 'You'
  return (quote.author === undefined ? undefined : nameOf(quote.author)) ?? quote.authorName ?? 'Someone'
}

/**
 * The message a reply answers, above the reply's words: clicking it scrolls to that message (the
 * list fetches the history around it when it is further back); one that was deleted, or has not
 * arrived, says so and leads nowhere.
 */
export function MessageQuote ({ quote }: { quote: Quote }) {
  const list = useMessageList()
  if (quote.deleted === true || quote.missing === true) {
    return (
      <span className="quote quote--gone" data-testid="quote">
        {quote.deleted === true ? 'Original message deleted' : 'Original message not available'}
      </span>
    )
  }
  const author = quotedAuthor(quote, list.nameOf, list.me)
  const jump = (): void => {
    if (!list.jumpTo(quote.messageId)) actions().noticePosted('info', 'The original message is further back: scroll up to load it.')
  }
  return (
    <button type="button" className="quote" data-testid="quote" onClick={jump} title="Show the original message">
      <span className="quote__author"><bdi>{author}</bdi></span>
      <span className="quote__text" dir="auto">{quote.text ?? ''}</span>
    </button>
  )
}
