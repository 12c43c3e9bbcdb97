// The kinds of signed entries a channel's log holds (PROTOCOL §4.1, §4.7–§4.10) and the body of each: a
// text message, a reply, an edit, a deletion, a reaction, an invitation, a membership change, a new
// epoch. Every kind but text names the entry it is about by id; a text, reply or edit may mention
// people by key (mentions.ts); each is one codec, bounded before anything is allocated, refusing what
// it cannot read.
import { concatBytes } from '../codec/bytes.ts'
import { fromHex, isHex, toHex } from '../codec/hex.ts'
import { decodeUtf8, encodeUtf8, isVarint, Reader, WireError, Writer } from './codec.ts'
import { KIND_TEXT, MAX_TEXT_BYTES } from './group-message.ts'
import { checkMentionableText, decodeMentions, encodeMentions } from './mentions.ts'

export const ENTRY_ID_BYTES = 32

export { KIND_TEXT }
export const KIND_REPLY = 2
export const KIND_EDIT = 3
export const KIND_DELETE = 4
export const KIND_REACTION = 5
export const KIND_INVITATION = 6
export const KIND_MEMBERSHIP = 7
export const KIND_EPOCH = 8

/** What a membership entry does to one key of an invite-only channel's list (PROTOCOL §4.9). */
export const MEMBERSHIP_OPS = { add: 1, remove: 2, promote: 3, demote: 4 } as const
export type MembershipOp = keyof typeof MEMBERSHIP_OPS
/** A new epoch's key in a sealed box for one member (PROTOCOL §4.10): its key, then the 80-byte box of the 32-byte key. */
export const EPOCH_KEY_BYTES = 32
export const EPOCH_CHECK_BYTES = 16
export const SEALED_EPOCH_KEY_BYTES = EPOCH_KEY_BYTES + 48
/** Boxes one new-epoch entry carries: as many as fit in a body (a longer member list takes several entries). */
export const MAX_EPOCH_BOXES = Math.floor((MAX_TEXT_BYTES - 4 - EPOCH_CHECK_BYTES - 2) / (ENTRY_ID_BYTES + SEALED_EPOCH_KEY_BYTES))
export const MAX_EPOCH = 0xffffffff
export interface EpochBox { member: string; box: Uint8Array }

/** The kinds shown as messages in a conversation. */
export const SHOWN_KINDS: readonly number[] = [KIND_TEXT, KIND_REPLY]

/** Entries one deletion takes away: a message and the edits of it. */
export const MAX_DELETED = 64
/** An emoji, or a short sequence of them (flags, skin tones, families), in UTF-8. */
export const MAX_REACTION_BYTES = 32
/** Text of a reply or an edit: the same as a message's, less the id in front of it. */
export const MAX_ENTRY_TEXT_BYTES = MAX_TEXT_BYTES - ENTRY_ID_BYTES

export interface DeletedEntry { id: string; seq: number }

export type EntryBody =
  | { kind: 'text'; text: string; mentions?: string[] }
  | { kind: 'reply'; target: string; text: string; mentions?: string[] }
  | { kind: 'edit'; target: string; text: string; mentions?: string[] }
  | { kind: 'delete'; targets: DeletedEntry[] }
  | { kind: 'reaction'; target: string; emoji: string }
  /** In a private conversation: the sender invites the other person to a channel (its `bitchat:` link). */
  | { kind: 'invitation'; link: string }
  /** In an invite-only channel, by an admin: a change to its member list. */
  | { kind: 'membership'; op: MembershipOp; key: string }
  /** In an invite-only channel, by an admin: the key of a new epoch, sealed to each member given it (`check` in hex). */
  | { kind: 'epoch'; epoch: number; check: string; boxes: EpochBox[] }
  /** A kind this version does not know: kept and passed on, not shown. */
  | { kind: 'unknown' }

export function encodeEntryBody (entry: Exclude<EntryBody, { kind: 'unknown' }>): { kind: number; body: Uint8Array } {
  switch (entry.kind) {
    case 'text': return { kind: KIND_TEXT, body: textWithMentions(new Uint8Array(0), entry.text, entry.mentions) }
    case 'reply': return { kind: KIND_REPLY, body: aboutWithText(entry.target, entry.text, entry.mentions) }
    case 'edit': return { kind: KIND_EDIT, body: aboutWithText(entry.target, entry.text, entry.mentions) }
    case 'delete': {
      if (entry.targets.length < 1 || entry.targets.length > MAX_DELETED) throw new WireError(`a deletion takes 1 to ${MAX_DELETED} entries, not ${entry.targets.length}`)
      const w = new Writer().varint(entry.targets.length)
      for (const t of entry.targets) {
        if (!isVarint(t.seq) || t.seq < 1) throw new WireError(`deleted seq must be a positive integer, not ${t.seq}`)
        w.fixed(idBytes(t.id), ENTRY_ID_BYTES, 'deleted id').varint(t.seq)
      }
      return { kind: KIND_DELETE, body: w.finish() }
    }
    case 'invitation': return { kind: KIND_INVITATION, body: invitationBody(entry.link) }
    case 'membership': return { kind: KIND_MEMBERSHIP, body: new Writer().u8(MEMBERSHIP_OPS[entry.op]).fixed(idBytes(entry.key), ENTRY_ID_BYTES, 'member key').finish() }
    case 'epoch': return { kind: KIND_EPOCH, body: epochBody(entry) }
    case 'reaction': {
      checkEmoji(entry.emoji)
      return { kind: KIND_REACTION, body: new Writer().fixed(idBytes(entry.target), ENTRY_ID_BYTES, 'target id').bytes(new TextEncoder().encode(entry.emoji), MAX_REACTION_BYTES, 'reaction').finish() }
    }
  }
}

/** Reads the body of an entry of `kind`; throws WireError when a known kind's body is malformed. */
export function decodeEntryBody (kind: number, body: Uint8Array): EntryBody {
  switch (kind) {
    case KIND_TEXT: return { kind: 'text', ...readTextWithMentions(body) }
    case KIND_REPLY: return { kind: 'reply', ...readAboutWithText(body) }
    case KIND_EDIT: return { kind: 'edit', ...readAboutWithText(body) }
    case KIND_DELETE: {
      const r = new Reader(body)
      const n = r.count(MAX_DELETED, ENTRY_ID_BYTES + 1, 'deleted entries')
      if (n < 1) throw new WireError('a deletion names no entry')
      const targets: DeletedEntry[] = []
      for (let i = 0; i < n; i++) {
        const id = toHex(r.fixed(ENTRY_ID_BYTES, 'deleted id'))
        const seq = r.varint('deleted seq')
        if (seq < 1) throw new WireError('deleted seq must be at least 1')
        if (targets.some(t => t.id === id)) throw new WireError('a deletion names one entry twice')
        targets.push({ id, seq })
      }
      r.end()
      return { kind: 'delete', targets }
    }
    case KIND_REACTION: {
      const r = new Reader(body)
      const target = toHex(r.fixed(ENTRY_ID_BYTES, 'target id'))
      const emoji = decodeUtf8(r.bytes(MAX_REACTION_BYTES, 'reaction'), 'reaction')
      r.end()
      checkEmoji(emoji)
      return { kind: 'reaction', target, emoji }
    }
    case KIND_INVITATION: {
      const link = decodeUtf8(body, 'invitation')
      invitationBody(link)
      return { kind: 'invitation', link }
    }
    case KIND_MEMBERSHIP: {
      const r = new Reader(body)
      const code = r.u8('membership op')
      const op = (Object.keys(MEMBERSHIP_OPS) as MembershipOp[]).find(k => MEMBERSHIP_OPS[k] === code)
      if (op === undefined) throw new WireError(`unknown membership op ${code}`)
      const key = toHex(r.fixed(ENTRY_ID_BYTES, 'member key'))
      r.end()
      return { kind: 'membership', op, key }
    }
    case KIND_EPOCH: {
      const r = new Reader(body)
      const epoch = new DataView(r.fixed(4, 'epoch').buffer).getUint32(0)
      if (epoch < 1) throw new WireError('a new epoch is numbered from 1')
      const check = toHex(r.fixed(EPOCH_CHECK_BYTES, 'epoch check'))
      const n = r.count(MAX_EPOCH_BOXES, ENTRY_ID_BYTES + SEALED_EPOCH_KEY_BYTES, 'sealed keys')
      if (n < 1) throw new WireError('a new epoch gives its key to no one')
      const boxes: EpochBox[] = []
      for (let i = 0; i < n; i++) {
        const member = toHex(r.fixed(ENTRY_ID_BYTES, 'member key'))
        if (i > 0 && member <= boxes[i - 1]!.member) throw new WireError('the keys of a new epoch\'s boxes must rise strictly')
        boxes.push({ member, box: r.fixed(SEALED_EPOCH_KEY_BYTES, 'sealed key') })
      }
      r.end()
      return { kind: 'epoch', epoch, check, boxes }
    }
    default: return { kind: 'unknown' }
  }
}

function epochBody (entry: Extract<EntryBody, { kind: 'epoch' }>): Uint8Array {
  if (!Number.isInteger(entry.epoch) || entry.epoch < 1 || entry.epoch > MAX_EPOCH) throw new WireError(`an epoch is 1 to ${MAX_EPOCH}, not ${entry.epoch}`)
  if (!isHex(entry.check, EPOCH_CHECK_BYTES)) throw new WireError(`an epoch check is ${EPOCH_CHECK_BYTES * 2} lowercase hex characters`)
  if (entry.boxes.length < 1 || entry.boxes.length > MAX_EPOCH_BOXES) throw new WireError(`a new-epoch entry carries 1 to ${MAX_EPOCH_BOXES} sealed keys, not ${entry.boxes.length}`)
  const epoch = new Uint8Array(4)
  new DataView(epoch.buffer).setUint32(0, entry.epoch)
  const w = new Writer().fixed(epoch, 4, 'epoch').fixed(fromHex(entry.check), EPOCH_CHECK_BYTES, 'epoch check').varint(entry.boxes.length)
  let previous = ''
  for (const { member, box } of entry.boxes) {
    if (member <= previous) throw new WireError('the keys of a new epoch\'s boxes must rise strictly')
    previous = member
    w.fixed(idBytes(member), ENTRY_ID_BYTES, 'member key').fixed(box, SEALED_EPOCH_KEY_BYTES, 'sealed key')
  }
  return w.finish()
}

// The link itself is checked by whoever takes the invitation up (core/channel/uri.ts); here only
// that it is one, in printable ASCII, and fits.
function invitationBody (link: string): Uint8Array {
  if (!link.startsWith('bitchat:?') || !/^[\x21-\x7e]+$/.test(link)) throw new WireError('an invitation carries a bitchat: channel link')
  return encodeUtf8(link, MAX_TEXT_BYTES, 'invitation')
}

// A reaction is something to show next to a message: '' takes one's reaction back; no letters or
// digits (a reaction is not a message), no controls or invisible characters that could hide anything.
function checkEmoji (emoji: string): void {
  if (emoji === '') return
  if (new TextEncoder().encode(emoji).length > MAX_REACTION_BYTES) throw new WireError(`a reaction is at most ${MAX_REACTION_BYTES} bytes`)
  if (/[\p{L}\p{N}\p{Cc}\p{Cf}\p{Z}]/u.test(emoji.replace(/\u200d|\ufe0f|[\u{1F3FB}-\u{1F3FF}]|[\u{E0020}-\u{E007F}]/gu, ''))) {
    throw new WireError('a reaction must be emoji only')
  }
}

function aboutWithText (target: string, text: string, mentions?: readonly string[]): Uint8Array {
  if (text === '') throw new WireError('text must not be empty')
  return textWithMentions(idBytes(target), text, mentions)
}

function readAboutWithText (body: Uint8Array): { target: string; text: string; mentions?: string[] } {
  if (body.length <= ENTRY_ID_BYTES) throw new WireError('a reply or an edit needs a target id and some text')
  const read = readTextWithMentions(body.subarray(ENTRY_ID_BYTES))
  if (read.text === '') throw new WireError('a reply or an edit needs some text')
  return { target: toHex(body.subarray(0, ENTRY_ID_BYTES)), ...read }
}

// The whole body, target and mention list included, fits the body of an entry.
function textWithMentions (head: Uint8Array, text: string, mentions: readonly string[] = []): Uint8Array {
  checkMentionableText(text)
  const list = encodeMentions(mentions)
  return concatBytes([head, list, encodeUtf8(text, MAX_TEXT_BYTES - head.length - list.length, 'text')])
}

function readTextWithMentions (rest: Uint8Array): { text: string; mentions?: string[] } {
  const { mentions, textStart } = decodeMentions(rest)
  const text = decodeUtf8(rest.subarray(textStart), 'text')
  return mentions.length === 0 ? { text } : { text, mentions }
}

function idBytes (id: string): Uint8Array {
  if (!isHex(id, ENTRY_ID_BYTES)) throw new WireError('an entry id is 64 lowercase hex characters')
  return fromHex(id)
}
