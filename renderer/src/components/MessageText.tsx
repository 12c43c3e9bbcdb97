import type { Hex } from '../../../core/api/contract.ts'
import { useMessageList } from '../app/message-list-context.ts'
import { splitMentions } from '../lib/mentions.ts'
import { actions } from '../store/store.ts'

/** The names someone may be written as in a message: yours for them, and the one they signed here. */
function namesOf (channelId: Hex, publicKey: Hex, yours: string | undefined): string[] {
  const { peers, members, contacts } = actions()
  const signed = peers.get(channelId)?.get(publicKey)?.name ?? members.get(channelId)?.find(m => m.publicKey === publicKey)?.name ?? contacts.get(publicKey)?.theirName ?? undefined
  return [...new Set([yours, signed].filter((n): n is string => n !== undefined && n !== ''))]
}

/**
 * A message's words, each `@name` of someone it mentions shown as a chip with the name you know them
 * by (your name for a contact, else theirs); one mentioned without their name in the text follows it.
 */
export function MessageText ({ channelId, text, mentions }: { channelId: Hex; text: string; mentions: readonly Hex[] | undefined }) {
  const { nameOf, me } = useMessageList()
  if (mentions === undefined || mentions.length === 0) return <span className="message__text" dir="auto">{text}</span>
  const { parts, unplaced } = splitMentions(text, mentions, key => namesOf(channelId, key, nameOf(key)))
  const chip = (publicKey: Hex, written: string, key: string | number) => {
    const known = nameOf(publicKey)
    return (
      <span key={key} className={`mention${publicKey === me ? ' mention--me' : ''}`} data-testid="mention" title={publicKey === me ? 'Mentions you' : undefined}>
        @{known ?? written.replace(/^@/, '')}
      </span>
    )
  }
  return (
    <span className="message__text" dir="auto">
      {parts.map((part, i) => part.kind === 'text' ? part.text : chip(part.publicKey, part.written, i))}
      {unplaced.length > 0 && <span className="message__mentioned"> {unplaced.map(key => chip(key, `@${key.slice(0, 8)}`, key))}</span>}
    </span>
  )
}
