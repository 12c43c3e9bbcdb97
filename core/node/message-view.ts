// How a channel's messages show (PROTOCOL §4.7): each as its author last edited it (with whom that
// version mentions), or as deleted, with the message a reply answers and everyone's latest reaction.
// Read for a whole page in one query of the entries about it and one of their mentions; an edit or a
// deletion counts only when its author wrote the message.
import type { Hex, MessageInfo, Reaction } from '../api/contract.ts'
import { toHex } from '../codec/hex.ts'
import { countChars } from '../channel/name-rule.ts'
import type { Store } from '../store/store.ts'
import type { StoredRef } from '../store/entry-ref-statements.ts'
import type { StoredMessage } from '../store/types.ts'
import { KIND_EDIT, KIND_REACTION, KIND_REPLY } from '../wire/entry-kinds.ts'

/** Characters of the answered message a reply shows. */
export const REPLY_EXCERPT_CHARS = 200
/** Members listed under one reaction. */
const MAX_REACTORS_LISTED = 64

export interface MessageViewContext {
  channelId: Hex
  store: Store
  ownKeyHex: string
  /** A member's name as this channel shows it (ours included). */
  nameOf: (keyHex: string) => string
  /** Fields that depend on the author alone (a conflict flag, our messages' states). */
  extra: (authorHex: string, seq: number) => Partial<MessageInfo>
}

export class MessageView {
  readonly #ctx: MessageViewContext

  constructor (ctx: MessageViewContext) {
    this.#ctx = ctx
  }

  /** Stored messages of shown kinds, as they show now. */
  page (rows: readonly StoredMessage[]): MessageInfo[] {
    if (rows.length === 0) return []
    const { store, channelId } = this.#ctx
    const about = new Map<string, StoredRef[]>()
    for (const ref of store.entriesAbout(channelId, rows.map(r => r.messageId))) {
      let list = about.get(ref.targetId)
      if (list === undefined) about.set(ref.targetId, list = [])
      list.push(ref)
    }
    const shown = rows.map(row => ({ row, about: about.get(row.messageId) ?? [], edit: this.#lastEdit(row, about.get(row.messageId) ?? []) }))
    const mentions = store.mentionsOf(shown.map(s => s.edit?.messageId ?? s.row.messageId))
    return shown.map(s => this.#show(s.row, s.about, s.edit, mentions.get(s.edit?.messageId ?? s.row.messageId)))
  }

  /** One message as it shows now; undefined when it is not held or not a shown kind. */
  one (messageId: Hex): MessageInfo | undefined {
    const row = this.#ctx.store.getMessage(this.#ctx.channelId, messageId)
    return row === undefined ? undefined : this.page([row])[0]
  }

  /** The edit that counts: the latest by the message's author. */
  #lastEdit (row: StoredMessage, about: readonly StoredRef[]): StoredRef | undefined {
    if (row.raw.length === 0) return undefined
    const authorHex = toHex(row.author)
    return about.filter(r => r.kind === KIND_EDIT && toHex(r.author) === authorHex).at(-1)
  }

  #show (row: StoredMessage, about: readonly StoredRef[], edit: StoredRef | undefined, mentions: readonly string[] | undefined): MessageInfo {
    const authorHex = toHex(row.author)
    const deleted = row.raw.length === 0
    const reactions = deleted ? [] : this.#reactions(about.filter(r => r.kind === KIND_REACTION))
    return {
      messageId: row.messageId,
      channelId: this.#ctx.channelId,
      author: authorHex,
      authorName: this.#ctx.nameOf(authorHex),
      text: edit?.value ?? row.body,
      timestamp: row.timestamp,
      seq: row.seq,
      own: authorHex === this.#ctx.ownKeyHex,
      ...this.#ctx.extra(authorHex, row.seq),
      ...(row.kind === KIND_REPLY ? { replyTo: this.#answered(row.messageId) } : {}),
      ...(edit === undefined ? {} : { editedAt: edit.timestamp }),
      ...(deleted ? { deleted: true } : {}),
      ...(deleted || mentions === undefined ? {} : { mentions: [...mentions], mentionsMe: mentions.includes(this.#ctx.ownKeyHex) }),
      ...(reactions.length === 0 ? {} : { reactions })
    }
  }

  /** Each member's latest reaction (they come oldest first), grouped by emoji, most used first. */
  #reactions (refs: readonly StoredRef[]): Reaction[] {
    const latest = new Map<string, { emoji: string; seq: number }>()
    for (const ref of refs) {
      const who = toHex(ref.author)
      const known = latest.get(who)
      if (known === undefined || ref.seq > known.seq) latest.set(who, { emoji: ref.value, seq: ref.seq })
    }
    const byEmoji = new Map<string, Reaction>()
    for (const [who, { emoji }] of latest) {
      if (emoji === '') continue
      let reaction = byEmoji.get(emoji)
      if (reaction === undefined) byEmoji.set(emoji, reaction = { emoji, count: 0, mine: false, by: [] })
      reaction.count++
      reaction.mine ||= who === this.#ctx.ownKeyHex
      if (reaction.by.length < MAX_REACTORS_LISTED) reaction.by.push(who)
    }
    return [...byEmoji.values()].sort((a, b) => b.count - a.count || a.emoji.localeCompare(b.emoji))
  }

  #answered (replyId: Hex): NonNullable<MessageInfo['replyTo']> {
    const target = this.#ctx.store.refOf(replyId)?.targetId
    if (target === undefined) return { messageId: '', missing: true }
    const shown = this.#ctx.store.getMessage(this.#ctx.channelId, target)
    if (shown === undefined || shown.kind === 0) return { messageId: target, missing: shown === undefined, ...(shown === undefined ? {} : { deleted: true }) }
    const authorHex = toHex(shown.author)
    if (shown.raw.length === 0) return { messageId: target, author: authorHex, authorName: this.#ctx.nameOf(authorHex), deleted: true }
    const edit = this.#ctx.store.entriesAbout(this.#ctx.channelId, [target]).filter(r => r.kind === KIND_EDIT && toHex(r.author) === authorHex).at(-1)
    return { messageId: target, author: authorHex, authorName: this.#ctx.nameOf(authorHex), text: excerpt(edit?.value ?? shown.body) }
  }
}

function excerpt (text: string): string {
  if (countChars(text) <= REPLY_EXCERPT_CHARS) return text
  return `${Array.from(text).slice(0, REPLY_EXCERPT_CHARS - 1).join('')}…`
}
