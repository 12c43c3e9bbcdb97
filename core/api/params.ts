// Runtime checks for every method's params object. Whatever drives the API (a script over
// JSON-RPC, a compromised renderer over IPC, a browser over WebSocket) is untrusted, so the
// table below is complete by construction: the compiler refuses a method without a check.
import { describeNameProblem, findNameProblem, MAX_NAME_CHARS } from '../channel/name-rule.ts'
import { isWellFormedText } from '../codec/utf8.ts'
import { MAX_TRACKER_URL_BYTES, trackerUrlProblem } from '../channel/tracker-url.ts'
import { MAX_TEXT_BYTES } from '../wire/group-message.ts'
import { MAX_MENTIONS } from '../wire/mentions.ts'
import { MAX_CONTACT_FILE_BYTES, MAX_CONTACT_NOTES_CHARS } from '../contacts/contact-limits.ts'
import { MAX_CONTACT_LINK_BYTES } from '../contacts/contact-link.ts'
import { MAX_IDENTITY_FILE_BYTES } from '../identity/identity-file.ts'
import { MAX_PROXY_URL_BYTES, parseProxyUrl } from '../transport/proxy-url.ts'
import type { MethodName, ParamsOf } from './contract.ts'
import { BitChatError } from './errors.ts'

type Check<T> = (value: unknown, path: string) => T

const fail = (path: string, what: string): never => { throw BitChatError.invalidParams(`${path} must be ${what}`) }

const str = (max: number, min = 0): Check<string> => (v, path) => {
  if (typeof v !== 'string') return fail(path, 'a string')
  if (v.length < min || v.length > max) return fail(path, `a string of ${min} to ${max} characters`)
  return v
}
// Lone surrogates cannot cross UTF-8: the wire refuses them and storage turns them into U+FFFD.
const text = (max: number, min = 0): Check<string> => (v, path) => {
  const s = str(max, min)(v, path)
  return isWellFormedText(s) ? s : fail(path, 'well-formed Unicode text')
}
const name: Check<string> = (v, path) => {
  if (typeof v !== 'string') return fail(path, 'a string')
  const problem = findNameProblem(v)
  if (problem !== null) throw BitChatError.invalidParams(describeNameProblem(problem, path))
  return v
}
const messageText: Check<string> = (v, path) => {
  const s = text(MAX_MESSAGE_TEXT, 1)(v, path)
  const bytes = Buffer.byteLength(s, 'utf8')
  if (bytes > MAX_TEXT_BYTES) throw new BitChatError('MESSAGE_TOO_LARGE', `${path} is ${bytes} bytes in UTF-8, more than the ${MAX_TEXT_BYTES} a message carries`)
  return s
}
// The tracker client sends it as an HTTP header, which takes printable ASCII only.
const userAgent: Check<string> = (v, path) => {
  const s = str(128, 1)(v, path)
  return /^[\x20-\x7e]+$/.test(s) ? s : fail(path, 'printable ASCII')
}
const hex32: Check<string> = (v, path) => {
  if (typeof v !== 'string' || !/^[0-9a-f]{64}$/.test(v)) return fail(path, '64 lowercase hex characters')
  return v
}
/** A proxy URL, or '' for none. */
const proxyUrl: Check<string> = (v, path) => {
  const text = str(MAX_PROXY_URL_BYTES)(v, path)
  if (text.trim() === '') return ''
  const parsed = parseProxyUrl(text)
  if (!parsed.ok) throw BitChatError.invalidParams(`${path}: ${parsed.problem}`)
  return text
}
const bool: Check<boolean> = (v, path) => typeof v === 'boolean' ? v : fail(path, 'a boolean')
const int = (min: number, max: number): Check<number> => (v, path) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) return fail(path, `an integer from ${min} to ${max}`)
  return v
}
const list = <T>(item: Check<T>, max: number): Check<T[]> => (v, path) => {
  if (!Array.isArray(v)) return fail(path, 'an array')
  if (v.length > max) return fail(path, `an array of at most ${max} items`)
  return v.map((x, i) => item(x, `${path}[${i}]`))
}
// Each person once: a list naming one twice is a mistake the wire refuses (PROTOCOL §4.7).
const mentionList: Check<string[]> = (v, path) => {
  const keys = list(hex32, MAX_MENTIONS)(v, path)
  return new Set(keys).size === keys.length ? keys : fail(path, 'a list of distinct keys')
}
const nullable = <T>(c: Check<T>): Check<T | null> => (v, path) => v === null ? null : c(v, path)

interface Optional<T> { optional: Check<T> }
const opt = <T>(check: Check<T>): Optional<T> => ({ optional: check })
type Field = Check<unknown> | Optional<unknown>
type Out<S extends Record<string, Field>> =
  { [K in keyof S as S[K] extends Optional<unknown> ? never : K]: S[K] extends Check<infer T> ? T : never } &
  { [K in keyof S as S[K] extends Optional<unknown> ? K : never]?: S[K] extends Optional<infer T> ? T : never }

const object = <S extends Record<string, Field>>(shape: S): Check<Out<S>> => (v, path) => {
  if (v === undefined) v = {}
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(path, 'an object')
  const input = v as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(shape, key)) throw BitChatError.invalidParams(`${path}.${key} is not a known parameter`)
  }
  for (const [key, check] of Object.entries(shape)) {
    const value = input[key]
    if (typeof check === 'function') out[key] = check(value, `${path}.${key}`)
    else if (value !== undefined) out[key] = check.optional(value, `${path}.${key}`)
  }
  return out as Out<S>
}

const none = object({}) as Check<Record<string, never>>
/** The name you give a contact: a name, or '' to clear it (their own name shows instead). */
const contactName: Check<string> = (v, path) => v === '' ? '' : name(v, path)
const contactRef = object({ publicKey: hex32 })
const channelRef = object({ channelId: hex32 })
const trackerUrl: Check<string> = (v, path) => {
  const s = str(MAX_TRACKER_URL_BYTES, 1)(v, path)
  const problem = trackerUrlProblem(s)
  if (problem !== null) throw BitChatError.invalidParams(`${path}: ${problem}`)
  return s
}

export const MAX_NAME_LENGTH = MAX_NAME_CHARS
export const MAX_MESSAGE_TEXT = 8192
/** People one channels.invite call invites. */
export const MAX_INVITEES = 100
/** The largest result one call returns, as JSON in UTF-8; a larger one is RESULT_TOO_LARGE. */
export const MAX_RESULT_BYTES = 8 * 1024 * 1024

// Characters, so at most the file's bytes (each character is at least one byte); the byte bound is the parser's.
const contactFileText = text(MAX_CONTACT_FILE_BYTES, 1)

export const paramChecks: { [M in MethodName]: Check<ParamsOf<M>> } = {
  'identity.status': none,
  'identity.create': object({ name, passphrase: opt(str(1024, 1)) }),
  'identity.unlock': object({ passphrase: str(1024) }),
  'identity.setPassphrase': object({ passphrase: nullable(str(1024, 1)), current: opt(str(1024)) }),
  'identity.get': none,
  'identity.lock': none,
  'identity.setName': object({ name }),
  'identity.contactLink': none,
  'identity.contactFile': none,
  'identity.export': object({ passphrase: str(1024, 1), current: opt(str(1024)) }),
  'identity.import': object({ data: str(Math.ceil(MAX_IDENTITY_FILE_BYTES / 3) * 4, 1), passphrase: str(1024, 1) }),
  'contacts.list': none,
  'contacts.add': (v, path) => {
    const p = object({ publicKey: opt(hex32), link: opt(str(MAX_CONTACT_LINK_BYTES, 1)), contactFile: opt(contactFileText), name: opt(contactName) })(v, path)
    if ([p.publicKey, p.link, p.contactFile].filter(x => x !== undefined).length !== 1) return fail(path, 'an object with exactly one of publicKey, link or contactFile')
    return p
  },
  'contacts.update': object({ publicKey: hex32, name: opt(contactName), notes: opt(text(MAX_CONTACT_NOTES_CHARS)), verified: opt(bool), blocked: opt(bool) }),
  'contacts.remove': contactRef,
  'contacts.safetyCode': contactRef,
  'contacts.inspectLink': object({ link: str(MAX_CONTACT_LINK_BYTES, 1) }),
  'contacts.inspectFile': object({ contactFile: contactFileText }),
  'channels.create': object({
    name,
    trackers: list(trackerUrl, 64),
    inviteOnly: opt(bool),
    members: opt(list(hex32, 1000)),
    file: opt(str(4096, 1))
  }),
  'channels.join': (v, path) => {
    const p = object({ file: opt(str(4096, 1)), uri: opt(str(3 * 65536, 1)), data: opt(str(200_000, 1)) })(v, path)
    const given = [p.file, p.uri, p.data].filter(x => x !== undefined).length
    if (given !== 1) return fail(path, 'an object with exactly one of file, uri or data')
    return p
  },
  'channels.leave': channelRef,
  'channels.list': none,
  'channels.share': channelRef,
  'channels.markRead': channelRef,
  'channels.setMuted': object({ channelId: hex32, muted: bool }),
  'channels.invite': (v, path) => {
    const p = object({ channelId: opt(hex32), name: opt(name), publicKeys: list(hex32, MAX_INVITEES) })(v, path)
    if (p.publicKeys.length === 0) return fail(`${path}.publicKeys`, 'at least one key')
    if ((p.channelId === undefined) === (p.name === undefined)) return fail(path, 'an object with exactly one of channelId (invite to it) or name (make one)')
    return p
  },
  'channels.addMember': object({ channelId: hex32, publicKey: hex32 }),
  'channels.removeMember': object({ channelId: hex32, publicKey: hex32 }),
  'channels.setAdmin': object({ channelId: hex32, publicKey: hex32, admin: bool }),
  'invitations.list': none,
  'invitations.accept': object({ invitationId: hex32 }),
  'invitations.decline': object({ invitationId: hex32 }),
  'peers.list': channelRef,
  'channels.members': channelRef,
  'channels.receipts': channelRef,
  'conversations.openPrivate': contactRef,
  'messages.send': object({ channelId: hex32, text: messageText, replyTo: opt(hex32), mentions: opt(mentionList) }),
  'messages.edit': object({ channelId: hex32, messageId: hex32, text: messageText, mentions: opt(mentionList) }),
  'messages.delete': object({ channelId: hex32, messageId: hex32 }),
  'messages.react': object({ channelId: hex32, messageId: hex32, emoji: str(16) }),
  'messages.typing': object({ channelId: hex32, typing: bool }),
  'messages.search': object({ query: text(256, 1), channelId: opt(hex32), limit: opt(int(1, 500)) }),
  'messages.list': (v, path) => {
    const p = object({ channelId: hex32, limit: opt(int(1, 10_000)), before: opt(hex32), after: opt(hex32), around: opt(hex32) })(v, path)
    if ([p.before, p.after, p.around].filter(x => x !== undefined).length > 1) return fail(path, 'an object with at most one of before, after or around')
    return p
  },
  'network.status': none,
  'settings.get': none,
  'settings.set': object({
    listenPort: opt(int(0, 65535)),
    trackerUserAgent: opt(userAgent),
    readReceipts: opt(bool),
    proxy: opt(nullable(proxyUrl)),
    portMapping: opt(bool),
    relayForOthers: opt(bool),
    relayOnly: opt(bool),
    trackerPeerIdPrefix: opt((v, path) => /^-[A-Za-z]{2}\d{4}-$/.test(str(8, 8)(v, path)) ? v as string : fail(path, 'an Azureus-style prefix like -qB4650-'))
  })
}

export function isMethodName (name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(paramChecks, name)
}

/** Validates `params` for `method`, throwing INVALID_PARAMS or UNKNOWN_METHOD. */
export function checkParams<M extends MethodName> (method: M, params: unknown): ParamsOf<M> {
  return paramChecks[method](params, 'params')
}
