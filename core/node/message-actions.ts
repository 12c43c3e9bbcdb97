// What a user does to messages in a channel (PROTOCOL §4.7): write one (or a reply), edit or delete
// one of their own, react to any. Each is one signed entry of ours; what it changes shows at once here
// (message.updated) and at every member once the entry reaches them.
import type { Hex, MessageInfo } from '../api/contract.ts'
import { BitChatError } from '../api/errors.ts'
import { toHex } from '../codec/hex.ts'
import type { Store } from '../store/store.ts'
import type { StoredMessage } from '../store/types.ts'
import { ENTRY_ID_BYTES, KIND_EDIT, MAX_DELETED, SHOWN_KINDS, type EntryBody } from '../wire/entry-kinds.ts'
import { MAX_TEXT_BYTES } from '../wire/group-message.ts'
import { mentionListBytes } from '../wire/mentions.ts'
import { WireError } from '../wire/codec.ts'
import type { GroupMessage } from '../wire/group-message.ts'
import type { MessageView } from './message-view.ts'

export interface MessageActionsOptions {
  channelId: Hex
  store: Store
  ownKeyHex: string
  view: MessageView
  /** Signs, stores and sends one entry of ours (the outbox). */
  send: (entry: Exclude<EntryBody, { kind: 'unknown' }>) => Promise<GroupMessage>
  /** Throws when we may not write here (not a member of an invite-only channel). */
  mayWrite: () => void
  updated: (message: MessageInfo) => void
}

export class MessageActions {
  readonly #opts: MessageActionsOptions

  constructor (opts: MessageActionsOptions) {
    this.#opts = opts
  }

  /** `mentions`: the keys the text names (distinct, at most MAX_MENTIONS: the API checked). */
  async write (text: string, replyTo?: Hex, mentions: readonly Hex[] = []): Promise<MessageInfo> {
    this.#opts.mayWrite()
    if (replyTo !== undefined) this.#shown(replyTo)
    checkEntryText(text, replyTo === undefined ? 0 : ENTRY_ID_BYTES, mentions)
    const named = mentions.length === 0 ? {} : { mentions: [...mentions] }
    const sent = await this.#opts.send(replyTo === undefined ? { kind: 'text', text, ...named } : { kind: 'reply', target: replyTo, text, ...named })
    return this.#now(sent.id)
  }

  async edit (messageId: Hex, text: string, mentions: readonly Hex[] = []): Promise<MessageInfo> {
    this.#opts.mayWrite()
    this.#ours(messageId, 'edit')
    checkEntryText(text, ENTRY_ID_BYTES, mentions)
    await this.#opts.send({ kind: 'edit', target: messageId, text, ...(mentions.length === 0 ? {} : { mentions: [...mentions] }) })
    return this.#changed(messageId)
  }

  /** Our message and every edit of it, erased at every member. */
  async delete (messageId: Hex): Promise<void> {
    this.#opts.mayWrite()
    const target = this.#ours(messageId, 'delete')
    const edits = this.#opts.store.entriesAbout(this.#opts.channelId, [messageId])
      .filter(r => r.kind === KIND_EDIT && toHex(r.author) === this.#opts.ownKeyHex)
      .slice(-(MAX_DELETED - 1))
    await this.#opts.send({ kind: 'delete', targets: [{ id: messageId, seq: target.seq }, ...edits.map(e => ({ id: e.messageId, seq: e.seq }))] })
    this.#changed(messageId)
  }

  /** An invitation to a channel (this is a private conversation). */
  async invite (link: string): Promise<void> {
    this.#opts.mayWrite()
    await this.#opts.send({ kind: 'invitation', link })
  }

  async react (messageId: Hex, emoji: string): Promise<MessageInfo> {
    this.#opts.mayWrite()
    const target = this.#shown(messageId)
    if (target.raw.length === 0) throw new BitChatError('MESSAGE_NOT_FOUND', 'that message was deleted')
    try {
      await this.#opts.send({ kind: 'reaction', target: messageId, emoji })
    } catch (err) {
      if (err instanceof WireError) throw BitChatError.invalidParams(`emoji: ${err.message}`)
      throw err
    }
    return this.#changed(messageId)
  }

  /** A message shown in this channel (deleted ones included). */
  #shown (messageId: Hex): StoredMessage {
    const row = this.#opts.store.getMessage(this.#opts.channelId, messageId)
    if (row === undefined || !SHOWN_KINDS.includes(row.kind)) throw new BitChatError('MESSAGE_NOT_FOUND', 'there is no such message in this conversation')
    return row
  }

  #ours (messageId: Hex, action: string): StoredMessage {
    const row = this.#shown(messageId)
    if (toHex(row.author) !== this.#opts.ownKeyHex) throw new BitChatError('FORBIDDEN', `you can only ${action} your own messages`)
    if (row.raw.length === 0) throw new BitChatError('MESSAGE_NOT_FOUND', 'that message was deleted')
    return row
  }

  #now (messageId: Hex): MessageInfo {
    const info = this.#opts.view.one(messageId)
    if (info === undefined) throw new BitChatError('INTERNAL', 'a message just stored could not be read back')
    return info
  }

  #changed (messageId: Hex): MessageInfo {
    const info = this.#now(messageId)
    this.#opts.updated(info)
    return info
  }
}

// An entry's body holds the target it is about and the list of people it mentions besides the text.
function checkEntryText (text: string, head: number, mentions: readonly Hex[]): void {
  if (text.startsWith('\u0000')) throw BitChatError.invalidParams('text may not begin with U+0000')
  const bytes = Buffer.byteLength(text, 'utf8')
  const room = MAX_TEXT_BYTES - head - mentionListBytes(mentions.length)
  if (bytes > room) throw new BitChatError('MESSAGE_TOO_LARGE', `the text is ${bytes} bytes in UTF-8, more than the ${room} this message carries${head + mentions.length === 0 ? '' : ' (beside what it answers or whom it mentions)'}`)
}
