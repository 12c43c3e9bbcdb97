// What the store keeps of a signed entry, ours or a peer's: its fields, the text to show, and what it
// is about (a reply's, edit's or reaction's target; the entries a deletion takes away), whom it mentions.
import type { StoredMessage } from '../store/types.ts'
import type { GroupMessage } from '../wire/group-message.ts'
import { decodeEntryBody } from '../wire/entry-kinds.ts'

/** Throws WireError when the body of a known kind is malformed: such an entry is refused. */
export function toStoredEntry (m: GroupMessage, channelId: string, receivedAt: number): StoredMessage {
  const base = { messageId: m.id, channelId, author: m.author, seq: m.seq, timestamp: m.timestamp, receivedAt, kind: m.kind, raw: m.raw }
  const entry = decodeEntryBody(m.kind, m.body)
  switch (entry.kind) {
    case 'text': return { ...base, body: entry.text, ...mentioned(entry.mentions) }
    case 'reply': return { ...base, body: entry.text, about: { kind: 'ref', target: entry.target, value: '' }, ...mentioned(entry.mentions) }
    case 'edit': return { ...base, body: '', about: { kind: 'ref', target: entry.target, value: entry.text }, ...mentioned(entry.mentions) }
    case 'reaction': return { ...base, body: '', about: { kind: 'ref', target: entry.target, value: entry.emoji } }
    case 'delete': return { ...base, body: '', about: { kind: 'delete', targets: entry.targets } }
    case 'invitation': return { ...base, body: entry.link }
    case 'membership': return { ...base, body: '', about: { kind: 'ref', target: entry.key, value: entry.op } }
    // Found by kind, its epoch and key check in the value; its boxes are read from its signed bytes.
    case 'epoch': return { ...base, body: '', about: { kind: 'ref', target: m.id, value: `${entry.epoch} ${entry.check}` } }
    case 'unknown': return { ...base, body: '' }
  }
}

function mentioned (mentions: readonly string[] | undefined): { mentions?: readonly string[] } {
  return mentions === undefined ? {} : { mentions }
}
