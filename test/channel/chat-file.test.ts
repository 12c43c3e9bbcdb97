import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BitChatError } from '../../core/api/errors.ts'
import {
  chatFileName, createChannelDescriptor, encodeChatFile, MAX_CHAT_FILE_BYTES, parseChatFile
} from '../../core/channel/chat-file.ts'
import type { ChannelDescriptor } from '../../core/channel/chat-file.ts'
import { signGenesis } from '../../core/channel/genesis.ts'
import { decode, encode } from '../../core/codec/bencode.ts'
import type { BDict, BValue } from '../../core/codec/bencode.ts'
import { signSeedKeyPair } from '../../core/crypto/native.ts'

const founder = signSeedKeyPair(new Uint8Array(32).fill(1))
const creator = founder.publicKey
const stranger = signSeedKeyPair(new Uint8Array(32).fill(4))
const alice = new Uint8Array(32).fill(2)
const bob = new Uint8Array(32).fill(3)
/** A distinct key for each i below 65536. */
function memberKey (i: number): Uint8Array {
  const key = new Uint8Array(32).fill(9)
  key[0] = i >> 8
  key[1] = i & 255
  return key
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)

function openChannel (): ChannelDescriptor {
  return createChannelDescriptor({
    name: 'Café ☕',
    trackers: ['udp://tracker.example:6969/announce', 'https://t.example/announce', 'wss://w.example'],
    mode: 'open',
    creator: founder,
    now: 1_700_000_000_123
  })
}

function inviteChannel (): ChannelDescriptor {
  return createChannelDescriptor({ name: 'secret club', trackers: ['http://127.0.0.1:8000/announce'], mode: 'invite', creator: founder, members: [alice, bob] })
}

/** A valid file's dictionary with `changes` applied (undefined deletes a key), signed anew unless the change is the signature. */
function fileWith (changes: Record<string, BValue | undefined>): Uint8Array {
  const dict = decode(encodeChatFile(inviteChannel())) as BDict
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete dict[key]
    else dict[key] = value
  }
  if (!('sig' in changes)) resign(dict)
  return encode(dict)
}

/** Signs edited fields as the creator would have, so a test meets the problem it is about rather than the signature. */
function resign (dict: BDict): void {
  if (dict.bitchat !== 3) return
  const unsigned: BDict = { ...dict }
  delete unsigned.sig
  try {
    dict.sig = signGenesis(parseChatFile(encode(unsigned), { stored: true }), founder).signature!
  } catch {
    // Invalid fields keep the old signature: what makes them invalid is found before it.
  }
}

function altered (file: Uint8Array): void {
  assert.throws(() => parseChatFile(file), (err: unknown) => {
    assert.ok(err instanceof BitChatError, String(err))
    assert.equal(err.code, 'INVITATION_ALTERED')
    assert.match(err.message, /this invitation was altered/)
    return true
  })
}

function rejects (file: Uint8Array, problem: RegExp): void {
  assert.throws(() => parseChatFile(file), (err: unknown) => {
    assert.ok(err instanceof BitChatError, String(err))
    assert.equal(err.code, 'INVALID_CHAT_FILE')
    assert.match(err.message, problem)
    return true
  })
}

test('an open channel round-trips through the file', () => {
  const d = openChannel()
  assert.deepEqual(parseChatFile(encodeChatFile(d)), d)
})

test('an invite channel round-trips through the file with its members', () => {
  const d = inviteChannel()
  const parsed = parseChatFile(encodeChatFile(d))
  assert.deepEqual(parsed, d)
  assert.deepEqual(parsed.members, [alice, bob])
})

test('a file with several trackers in one tier round-trips', () => {
  const d: ChannelDescriptor = { ...openChannel(), trackers: [['udp://a.example:1', 'udp://b.example:2'], ['http://c.example/announce']] }
  assert.deepEqual(parseChatFile(encodeChatFile(d)), d)
})

test('a channel without trackers has an empty announce-list and no announce', () => {
  const d = createChannelDescriptor({ name: 'dht only', trackers: [], mode: 'open', creator: founder })
  const dict = decode(encodeChatFile(d)) as BDict
  assert.deepEqual(dict['announce-list'], [])
  assert.equal(dict.announce, undefined)
  assert.deepEqual(parseChatFile(encodeChatFile(d)), d)
})

test('the file is a bencoded dictionary with the keys of PROTOCOL §1.1', () => {
  const d = inviteChannel()
  const dict = decode(encodeChatFile(d)) as BDict
  assert.deepEqual(Object.keys(dict), ['announce', 'announce-list', 'bitchat', 'created', 'creator', 'members', 'mode', 'name', 'secret', 'sig'])
  assert.equal(dict.bitchat, 3)
  assert.deepEqual(dict.sig, d.signature)
  assert.equal(d.signature?.length, 64)
  assert.deepEqual(dict.announce, bytes('http://127.0.0.1:8000/announce'))
  assert.deepEqual(dict['announce-list'], [[bytes('http://127.0.0.1:8000/announce')]])
  assert.deepEqual(dict.mode, bytes('invite'))
  assert.deepEqual(dict.secret, d.secret)
})

test('createChannelDescriptor makes a fresh 32-byte secret, one tier per tracker and the creation time in seconds', () => {
  const a = openChannel()
  const b = openChannel()
  assert.equal(a.secret.length, 32)
  assert.notDeepEqual(a.secret, b.secret)
  assert.deepEqual(a.trackers, [['udp://tracker.example:6969/announce'], ['https://t.example/announce'], ['wss://w.example']])
  assert.equal(a.created, 1_700_000_000)
  assert.deepEqual(a.members, [])
})

test('createChannelDescriptor drops the creator and repeats from the members', () => {
  const d = createChannelDescriptor({ name: 'x', trackers: [], mode: 'invite', creator: founder, members: [alice, creator, alice, bob] })
  assert.deepEqual(d.members, [alice, bob])
})

test('createChannelDescriptor rejects bad input with INVALID_PARAMS', () => {
  const base = { name: 'x', trackers: [], mode: 'open' as const, creator: founder }
  const cases = [
    { ...base, name: '' },
    { ...base, name: 'x'.repeat(65) },
    { ...base, trackers: ['ftp://x.example'] },
    { ...base, members: [alice] },
    { ...base, creator: { publicKey: new Uint8Array(31), secretKey: founder.secretKey } },
    { ...base, mode: 'invite' as const, members: [new Uint8Array(31)] }
  ]
  for (const opts of cases) {
    assert.throws(() => createChannelDescriptor(opts), (err: unknown) => err instanceof BitChatError && err.code === 'INVALID_PARAMS')
  }
})

test('createChannelDescriptor refuses a channel whose file would exceed 64 KiB', () => {
  const trackers = Array.from({ length: 64 }, (_, i) => `http://t${i}.example/${'a'.repeat(480)}`)
  const members = Array.from({ length: 1000 }, (_, i) => memberKey(i))
  assert.throws(() => createChannelDescriptor({ name: 'big', trackers, mode: 'invite', creator: founder, members }), /above 65536/)
})

test('rejects a file truncated at any length', () => {
  const file = encodeChatFile(inviteChannel())
  for (let n = 0; n < file.length; n++) rejects(file.subarray(0, n), /bencode/)
})

test('rejects a file above 64 KiB before decoding it', () => {
  assert.equal(MAX_CHAT_FILE_BYTES, 65536)
  rejects(new Uint8Array(MAX_CHAT_FILE_BYTES + 1), /65537 bytes, above the 65536-byte limit/)
})

test('rejects trailing bytes', () => {
  rejects(Uint8Array.from([...encodeChatFile(inviteChannel()), 0x30]), /trailing/)
})

test('rejects anything but a dictionary at the top', () => {
  rejects(encode([1]), /not a bencoded dictionary/)
  rejects(encode(bytes('x')), /not a bencoded dictionary/)
})

test('rejects an unknown version, even with keys of its own', () => {
  rejects(fileWith({ bitchat: 4, future: 1 }), /unknown version 4/)
  rejects(fileWith({ bitchat: 0 }), /unknown version 0/)
})

test('refuses as altered a file whose name, mode, members, creator or date are not the ones its creator signed', () => {
  const dict = decode(encodeChatFile(inviteChannel())) as BDict
  for (const [key, value] of Object.entries({ name: bytes('other'), created: 1, mode: bytes('open'), members: [alice], creator: memberKey(5) })) {
    const edited = { ...dict, [key]: value }
    if (key === 'mode') delete edited.members
    altered(encode(edited))
  }
  altered(fileWith({ sig: new Uint8Array(64) }))
  rejects(fileWith({ sig: new Uint8Array(63) }), /signature must be 64 bytes, not 63/)
  rejects(fileWith({ sig: undefined }), /missing sig/)
})

test('refuses as altered a file signed by someone other than its creator', () => {
  const d = inviteChannel()
  const forged = { ...d, name: 'bank support', creator: stranger.publicKey, signature: null }
  const dict = decode(encodeChatFile(signGenesis(forged, stranger))) as BDict
  dict.creator = creator
  altered(encode(dict))
})

test('accepts a file whose trackers a member changed: they are not signed', () => {
  const d = inviteChannel()
  const dict = decode(encodeChatFile(d)) as BDict
  dict.announce = bytes('udp://other.example:1')
  dict['announce-list'] = [[bytes('udp://other.example:1')], [bytes('wss://w.example')]]
  const parsed = parseChatFile(encode(dict))
  assert.deepEqual(parsed.trackers, [['udp://other.example:1'], ['wss://w.example']])
  assert.deepEqual({ ...parsed, trackers: d.trackers }, d)
})

test('rejects formats 1 and 2 from outside, and reads them (unsigned) from the node’s own store', () => {
  const signed = decode(encodeChatFile(inviteChannel())) as BDict
  delete signed.sig
  const v1 = { ...signed, bitchat: 1 }
  const v2 = { ...signed, bitchat: 2, check: new Uint8Array(16) }
  for (const old of [v1, v2]) {
    rejects(encode(old), /older BitChat.*ask for a new invite/)
    const stored = parseChatFile(encode(old), { stored: true })
    assert.equal(stored.name, 'secret club')
    assert.equal(stored.signature, null)
  }
  assert.throws(() => parseChatFile(encode({ ...v1, check: new Uint8Array(16) }), { stored: true }), /unknown key "check"/)
  assert.throws(() => parseChatFile(encode({ ...v2, sig: new Uint8Array(64) }), { stored: true }), /unknown key "sig"/)
})

test('an unsigned descriptor is stored in format 3 without sig, which only the store reads back', () => {
  const d = { ...inviteChannel(), signature: null }
  const file = encodeChatFile(d)
  assert.equal((decode(file) as BDict).sig, undefined)
  rejects(file, /missing sig/)
  assert.deepEqual(parseChatFile(file, { stored: true }), d)
})

test('rejects an unknown key', () => {
  rejects(fileWith({ comment: bytes('hi') }), /unknown key "comment"/)
})

test('rejects each missing required key', () => {
  for (const key of ['bitchat', 'name', 'announce-list', 'secret', 'mode', 'created', 'creator', 'members', 'announce', 'sig']) {
    rejects(fileWith({ [key]: undefined }), new RegExp(`missing ${key}`))
  }
})

test('rejects each field of the wrong type, naming it', () => {
  rejects(fileWith({ bitchat: bytes('1') }), /bitchat must be an integer/)
  rejects(fileWith({ name: 5 }), /name must be a byte string/)
  rejects(fileWith({ secret: [] }), /secret must be a byte string/)
  rejects(fileWith({ mode: 1 }), /mode must be a byte string/)
  rejects(fileWith({ created: bytes('1700000000') }), /created must be an integer/)
  rejects(fileWith({ creator: 1 }), /creator must be a byte string/)
  rejects(fileWith({ members: bytes('x') }), /members must be a list/)
  rejects(fileWith({ members: [alice, 7] }), /members\[1\] must be a byte string/)
  rejects(fileWith({ 'announce-list': bytes('x') }), /announce-list must be a list/)
  rejects(fileWith({ 'announce-list': [bytes('udp://a.example:1')] }), /announce-list\[0\] must be a list/)
  rejects(fileWith({ 'announce-list': [[1]] }), /announce-list\[0\]\[0\] must be a byte string/)
  rejects(fileWith({ announce: 1 }), /announce must be a byte string/)
})

test('rejects text fields that are not UTF-8', () => {
  rejects(fileWith({ name: Uint8Array.from([0x61, 0xff]) }), /name is not valid UTF-8/)
})

test('rejects a secret, creator or member of the wrong length', () => {
  rejects(fileWith({ secret: new Uint8Array(31) }), /secret must be 32 bytes, not 31/)
  rejects(fileWith({ secret: new Uint8Array(33) }), /secret must be 32 bytes, not 33/)
  rejects(fileWith({ creator: new Uint8Array(33) }), /creator must be a 32-byte public key/)
  rejects(fileWith({ members: [new Uint8Array(31)] }), /member 0 must be a 32-byte public key/)
})

test('rejects an unknown mode', () => {
  rejects(fileWith({ mode: bytes('closed') }), /mode must be open or invite, not "closed"/)
})

test('rejects members in open mode, even an empty list', () => {
  rejects(fileWith({ mode: bytes('open') }), /members are only allowed in invite mode/)
  rejects(fileWith({ mode: bytes('open'), members: [] }), /members are only allowed in invite mode/)
})

test('rejects repeated members and the creator listed as a member', () => {
  rejects(fileWith({ members: [alice, alice] }), /member 1 repeats/)
  rejects(fileWith({ members: [creator] }), /member 0 repeats/)
})

test('rejects more than 1000 members', () => {
  const members = Array.from({ length: 1001 }, (_, i) => memberKey(i))
  rejects(fileWith({ members }), /more than 1000 members/)
})

test('rejects an empty, too long or too large name', () => {
  rejects(fileWith({ name: bytes('') }), /name is required/)
  rejects(fileWith({ name: bytes('x'.repeat(65)) }), /name must be at most 64 characters \(it has 65\)/)
  rejects(fileWith({ name: bytes('\u{1F600}'.repeat(65)) }), /name must be at most 64 characters \(it has 65\)/)
  assert.equal(parseChatFile(fileWith({ name: bytes('\u{1F600}'.repeat(64)) })).name, '\u{1F600}'.repeat(64))
})

test('rejects more than 64 trackers in all', () => {
  const url = (i: number): Uint8Array => bytes(`udp://t${i}.example:1`)
  const tiers = Array.from({ length: 13 }, (_, t) => Array.from({ length: 5 }, (_, i) => url(t * 5 + i)))
  rejects(fileWith({ announce: url(0), 'announce-list': tiers }), /more than 64 trackers/)
  assert.equal(parseChatFile(fileWith({ announce: url(0), 'announce-list': tiers.slice(0, 12).concat([tiers[12]!.slice(0, 4)]) })).trackers.flat().length, 64)
})

test('rejects tracker URLs of other schemes, with spaces, or too long', () => {
  for (const url of ['ftp://t.example/a', 'udp:/t.example', 'udp://', 'http://a b.example/', 'javascript:alert(1)', `http://${'x'.repeat(510)}`]) {
    rejects(fileWith({ announce: bytes(url), 'announce-list': [[bytes(url)]] }), /tracker/)
  }
})

test('rejects a tracker with port 0, a malformed host or a udp tracker without a port, naming it', () => {
  for (const [url, words] of [
    ['udp://host.example:0', /invalid \.chat file: tracker "udp:\/\/host\.example:0" has port "0"/],
    ['udp://627.0.0.1:9', /tracker "udp:\/\/627\.0\.0\.1:9" has an invalid host/],
    ['udp://tracker.example', /tracker "udp:\/\/tracker\.example" has no port/],
    ['http://t.example:65536/announce', /has port "65536"/]
  ] as const) {
    rejects(fileWith({ announce: bytes('http://127.0.0.1:8000/announce'), 'announce-list': [[bytes('http://127.0.0.1:8000/announce')], [bytes(url)]] }), words)
  }
})

test('createChannelDescriptor refuses a malformed tracker as INVALID_PARAMS', () => {
  assert.throws(() => createChannelDescriptor({ name: 'x', trackers: ['udp://127.0.0.1:0'], mode: 'open', creator: founder }),
    (err: unknown) => err instanceof BitChatError && err.code === 'INVALID_PARAMS' && /udp:\/\/127\.0\.0\.1:0/.test(err.message))
})

test('rejects an empty tracker tier', () => {
  rejects(fileWith({ 'announce-list': [[bytes('http://127.0.0.1:8000/announce')], []] }), /empty tracker tier/)
})

test('rejects announce that is not the first tracker, and announce without trackers', () => {
  rejects(fileWith({ announce: bytes('udp://other.example:1') }), /announce is not the first tracker/)
  rejects(fileWith({ 'announce-list': [] }), /announce is not the first tracker/)
})

test('rejects a negative creation time', () => {
  rejects(fileWith({ created: -1 }), /created must be a non-negative integer/)
})

test('rejects nesting deeper than the format needs', () => {
  rejects(fileWith({ 'announce-list': [[[bytes('x')]]] }), /nesting deeper than 3/)
})

test('chatFileName keeps the name and adds .chat', () => {
  assert.equal(chatFileName(openChannel()), 'Café ☕.chat')
})

test('chatFileName strips path separators, control and bidi characters', () => {
  const named = (name: string): string => chatFileName({ ...openChannel(), name })
  assert.equal(named('../../etc/passwd'), 'etc passwd.chat')
  assert.equal(named('a\\b:c*?"<>|d'), 'a b c d.chat')
  assert.equal(named('line\nbreak\u0000'), 'line break.chat')
  assert.equal(named('evil\u202Eexe.txt'), 'evil exe.txt.chat')
  assert.equal(named('...'), 'channel.chat')
  assert.equal(named('CON'), '_CON.chat')
})

test('chatFileName keeps file names within 255 bytes', () => {
  const name = chatFileName({ ...openChannel(), name: '\u{1F600}'.repeat(64) })
  assert.ok(Buffer.byteLength(name) <= 255)
  assert.ok(name.endsWith('\u{1F600}.chat'))
})

test('a stored channel from an older version keeps its valid trackers and reports the ones now refused', () => {
  const good = bytes('http://127.0.0.1:8000/announce')
  const file = fileWith({ announce: bytes('udp://127.0.0.1:0'), 'announce-list': [[bytes('udp://127.0.0.1:0'), bytes('udp://627.0.0.1:9')], [good]] })
  rejects(file, /port "0"/)
  const dropped: string[] = []
  const d = parseChatFile(file, { dropBadTracker: problem => { dropped.push(problem) } })
  assert.deepEqual(d.trackers, [['http://127.0.0.1:8000/announce']])
  assert.equal(dropped.length, 2)
  assert.match(dropped[0] ?? '', /udp:\/\/127\.0\.0\.1:0/)
  assert.match(dropped[1] ?? '', /udp:\/\/627\.0\.0\.1:9/)
  assert.deepEqual(parseChatFile(encodeChatFile(d)), d)
})
