import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BitChatError } from '../../core/api/errors.ts'
import { createChannelDescriptor } from '../../core/channel/chat-file.ts'
import type { ChannelDescriptor } from '../../core/channel/chat-file.ts'
import { MAX_CHANNEL_URI_BYTES, parseChannelUri, toChannelUri } from '../../core/channel/uri.ts'
import { toHex } from '../../core/codec/hex.ts'
import { descriptorCheck } from '../../core/channel/descriptor-check.ts'

const creator = new Uint8Array(32).fill(1)
const alice = new Uint8Array(32).fill(2)
const SECRET = 'ab'.repeat(32)
const CREATOR = '01'.repeat(32)
const ALICE = '02'.repeat(32)
const FIELDS: ChannelDescriptor = {
  version: 2,
  name: 'Café & co',
  trackers: [['udp://t.example:6969'], ['https://u.example/announce']],
  secret: Uint8Array.from(Buffer.from(SECRET, 'hex')),
  mode: 'open',
  created: 1700000000,
  creator,
  members: []
}
const CHECK = toHex(descriptorCheck(FIELDS))
const VALID = `bitchat:?v=2&n=Caf%C3%A9%20%26%20co&s=${SECRET}&m=open&t=1700000000&c=${CREATOR}&tr=udp%3A%2F%2Ft.example%3A6969&tr=https%3A%2F%2Fu.example%2Fannounce&x=${CHECK}`

function rejects (uri: string, problem: RegExp): void {
  assert.throws(() => parseChannelUri(uri), (err: unknown) => {
    assert.ok(err instanceof BitChatError, String(err))
    assert.equal(err.code, 'INVALID_URI')
    assert.match(err.message, problem)
    return true
  })
}

/** VALID with parameter `key` replaced by `value` (or removed when null). */
function withParam (key: string, value: string | null): string {
  const parts = VALID.slice('bitchat:?'.length).split('&').filter(p => !p.startsWith(`${key}=`))
  if (value !== null) parts.push(`${key}=${value}`)
  return `bitchat:?${parts.join('&')}`
}

test('parses a link into a descriptor', () => {
  assert.deepEqual(parseChannelUri(VALID), FIELDS)
})

test('rejects a link whose fields are not the ones its check was made with', () => {
  rejects(withParam('n', 'Bank%20support'), /this link was altered/)
  rejects(withParam('t', '1700000001'), /this link was altered/)
  rejects(withParam('c', '03'.repeat(32)), /this link was altered/)
  rejects(VALID.replace('&tr=https%3A%2F%2Fu.example%2Fannounce', ''), /this link was altered/)
  rejects(withParam('x', '00'.repeat(16)), /this link was altered/)
  rejects(withParam('x', 'ab'), /x must be 32 lowercase hex characters/)
})

test('rejects the unchecked format 1 with what to do', () => {
  rejects(withParam('x', null).replace('v=2', 'v=1'), /older BitChat.*ask for a new invite/)
})

test('an open channel round-trips through the link', () => {
  const d = createChannelDescriptor({ name: 'a=b&c?d#e/f %', trackers: ['udp://t.example:1/announce?x=1&y=2', 'wss://w.example'], mode: 'open', creator })
  const uri = toChannelUri(d)
  assert.match(uri, /^bitchat:\?v=2&n=/)
  assert.deepEqual(parseChannelUri(uri), d)
})

test('an invite channel round-trips through the link with its members', () => {
  const d = createChannelDescriptor({ name: 'club', trackers: [], mode: 'invite', creator, members: [alice] })
  const uri = toChannelUri(d)
  assert.ok(uri.includes(`&k=${ALICE}`))
  assert.deepEqual(parseChannelUri(uri), d)
})

test('writes the parameters in the order of PROTOCOL §1.2 with hex keys', () => {
  const d = createChannelDescriptor({ name: 'x', trackers: ['udp://t.example:1'], mode: 'invite', creator, members: [alice], now: 5000 })
  assert.equal(toChannelUri(d), `bitchat:?v=2&n=x&s=${toHex(d.secret)}&m=invite&t=5&c=${CREATOR}&tr=udp%3A%2F%2Ft.example%3A1&k=${ALICE}&x=${toHex(descriptorCheck(d))}`)
})

test('flattens tracker tiers, one tier per tracker', () => {
  const d: ChannelDescriptor = { ...parseChannelUri(VALID), trackers: [['udp://a.example:1', 'udp://b.example:2']] }
  assert.deepEqual(parseChannelUri(toChannelUri(d)).trackers, [['udp://a.example:1'], ['udp://b.example:2']])
})

test('accepts the scheme in any case', () => {
  assert.equal(parseChannelUri(VALID.replace('bitchat:', 'BitChat:')).name, 'Café & co')
})

test('fits an invite list of the largest size in a link', () => {
  const members = Array.from({ length: 1000 }, (_, i) => {
    const key = new Uint8Array(32).fill(7)
    key[0] = i >> 8
    key[1] = i & 255
    return key
  })
  const d = createChannelDescriptor({ name: 'big', trackers: [], mode: 'invite', creator, members })
  assert.equal(parseChannelUri(toChannelUri(d)).members.length, 1000)
})

test('rejects a link above the bound before parsing it', () => {
  rejects(VALID + '&tr=' + 'x'.repeat(MAX_CHANNEL_URI_BYTES), new RegExp(`longer than ${MAX_CHANNEL_URI_BYTES} bytes`))
})

test('rejects other schemes and a missing query', () => {
  rejects(VALID.replace('bitchat:', 'magnet:'), /does not start with bitchat:\?/)
  rejects('bitchat:v=1', /does not start with/)
  rejects('bitchat:?', /is not key=value/)
})

test('rejects spaces, control and non-ASCII characters', () => {
  rejects(VALID + ' ', /printable ASCII/)
  rejects(VALID.replace('Caf%C3%A9', 'Café'), /printable ASCII/)
  rejects(VALID + '\n', /printable ASCII/)
})

test('rejects malformed parameters and bad percent-encoding', () => {
  rejects(VALID + '&', /is not key=value/)
  rejects(VALID + '&novalue', /"novalue" is not key=value/)
  rejects(VALID + '&=x', /is not key=value/)
  rejects(withParam('n', '%E2%82'), /"n" has bad percent-encoding or is not UTF-8/)
  rejects(withParam('n', '%zz'), /"n" has bad percent-encoding/)
})

test('rejects an unknown or missing version before anything else', () => {
  rejects(withParam('v', '3') + '&future=1', /unknown version "3"/)
  rejects(withParam('v', null), /missing v/)
  rejects(VALID + '&v=1', /v given more than once/)
})

test('rejects unknown and repeated parameters', () => {
  rejects(VALID + '&y=1', /unknown parameter "y"/)
  rejects(VALID + '&n=again', /n given more than once/)
})

test('rejects each missing required parameter', () => {
  for (const key of ['n', 's', 'm', 't', 'c', 'x']) rejects(withParam(key, null), new RegExp(`missing ${key}`))
})

test('rejects keys that are not 64 lowercase hex characters', () => {
  rejects(withParam('s', 'ab'.repeat(31)), /s must be 64 lowercase hex characters/)
  rejects(withParam('s', 'AB'.repeat(32)), /s must be 64 lowercase hex characters/)
  rejects(withParam('c', 'zz'.repeat(32)), /c must be 64 lowercase hex characters/)
  rejects(withParam('m', 'invite') + '&k=0102', /k must be 64 lowercase hex characters/)
})

test('rejects an unknown mode and members in open mode', () => {
  rejects(withParam('m', 'closed'), /m must be open or invite, not "closed"/)
  rejects(VALID + `&k=${ALICE}`, /members are only allowed in invite mode/)
})

test('rejects a creation time that is not plain decimal Unix seconds', () => {
  for (const t of ['-1', '01', '1.5', '1e9', '', '0x10', '99999999999999999']) rejects(withParam('t', t), /t must be Unix seconds|is not key=value/)
})

test('rejects names and trackers out of bounds, as the file does', () => {
  rejects(withParam('n', ''), /name is required/)
  rejects(withParam('n', 'x'.repeat(65)), /name must be at most 64 characters/)
  rejects(VALID + '&tr=ftp%3A%2F%2Fx.example', /tracker "ftp:\/\/x.example" is not/)
  rejects(VALID + '&tr=' + Array.from({ length: 63 }, (_, i) => `udp%3A%2F%2Fx${i}.example%3A1`).join('&tr='), /more than 64 trackers/)
})

test('rejects a link whose tracker has port 0, a malformed host or no udp port, naming it', () => {
  rejects(VALID + '&tr=udp%3A%2F%2Fhost.example%3A0', /invalid bitchat: link: tracker "udp:\/\/host\.example:0" has port "0"/)
  rejects(VALID + '&tr=udp%3A%2F%2F627.0.0.1%3A9', /tracker "udp:\/\/627\.0\.0\.1:9" has an invalid host/)
  rejects(VALID + '&tr=udp%3A%2F%2Fno-port.example', /has no port/)
})

test('rejects repeated members and the creator as a member', () => {
  rejects(withParam('m', 'invite') + `&k=${ALICE}&k=${ALICE}`, /member 1 repeats/)
  rejects(withParam('m', 'invite') + `&k=${CREATOR}`, /member 0 repeats/)
})
