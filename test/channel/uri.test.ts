import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BitChatError } from '../../core/api/errors.ts'
import { createChannelDescriptor } from '../../core/channel/chat-file.ts'
import type { ChannelDescriptor } from '../../core/channel/chat-file.ts'
import { MAX_CHANNEL_URI_BYTES, parseChannelUri, toChannelUri } from '../../core/channel/uri.ts'
import { toHex } from '../../core/codec/hex.ts'
import { genesisMessage, signGenesis } from '../../core/channel/genesis.ts'
import { signSeedKeyPair } from '../../core/crypto/native.ts'

// The published vector of PROTOCOL §1.3: the creator's key from the seed 01…01, the secret ab…ab.
const founder = signSeedKeyPair(new Uint8Array(32).fill(1))
const creator = founder.publicKey
const alice = new Uint8Array(32).fill(2)
const SECRET = 'ab'.repeat(32)
const CREATOR = '8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c'
const ALICE = '02'.repeat(32)
const SIGNATURE = '5ad07a651e6244da01cbd9e4e92d5076fd5212cd538b4da059a0010ac7230e9695ff772954e690189784b56ac0dd3c322f4711884f7590b8985385fa0a4a0306'
const FIELDS: ChannelDescriptor = {
  version: 3,
  name: 'Café & co',
  trackers: [['udp://t.example:6969'], ['https://u.example/announce']],
  secret: Uint8Array.from(Buffer.from(SECRET, 'hex')),
  mode: 'open',
  created: 1700000000,
  creator,
  members: [],
  signature: Uint8Array.from(Buffer.from(SIGNATURE, 'hex'))
}
const VALID = `bitchat:?v=3&n=Caf%C3%A9%20%26%20co&s=${SECRET}&m=open&t=1700000000&c=${CREATOR}&tr=udp%3A%2F%2Ft.example%3A6969&tr=https%3A%2F%2Fu.example%2Fannounce&sig=${SIGNATURE}`
const other = signSeedKeyPair(new Uint8Array(32).fill(4))

function altered (uri: string): void {
  assert.throws(() => parseChannelUri(uri), (err: unknown) => {
    assert.ok(err instanceof BitChatError, String(err))
    assert.equal(err.code, 'INVITATION_ALTERED')
    assert.match(err.message, /this invitation was altered/)
    return true
  })
}

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

test('the published vector: fixed keys and fields give fixed bytes to sign and a fixed signature', () => {
  assert.equal(toHex(creator), CREATOR)
  assert.equal(Buffer.from(genesisMessage(FIELDS)).toString('hex'),
    Buffer.from('bitchat v3 channel-genesis').toString('hex') +
    Buffer.from('d7:channel32:').toString('hex') + '5e311d531207fe071ac3f206dd5947d3c0d755cde97d58bbc6b9b8257d64c4c0' +
    Buffer.from(`7:createdi1700000000e7:creator32:`).toString('hex') + CREATOR +
    Buffer.from('4:mode4:open4:name10:Caf').toString('hex') + 'c3a9' + Buffer.from(' & coe').toString('hex'))
  assert.equal(toHex(signGenesis({ ...FIELDS, signature: null }, founder).signature!), SIGNATURE)
  assert.equal(toChannelUri(FIELDS), VALID)
})

test('refuses as altered a link whose name, date, mode, members or creator are not the ones its creator signed', () => {
  altered(withParam('n', 'Bank%20support'))
  altered(withParam('t', '1700000001'))
  altered(withParam('c', '03'.repeat(32)))
  altered(withParam('m', 'invite'))
  altered(withParam('m', 'invite') + `&k=${ALICE}`)
  altered(withParam('sig', '00'.repeat(64)))
  rejects(withParam('sig', 'ab'), /sig must be 128 lowercase hex characters/)
})

test('refuses as altered a link signed by another key than its creator’s', () => {
  const forged = signGenesis({ ...FIELDS, name: 'Bank support', creator: other.publicKey, signature: null }, other)
  altered(toChannelUri(forged).replace(`c=${toHex(other.publicKey)}`, `c=${CREATOR}`))
})

test('accepts a link whose trackers were changed, added or removed: the signature does not cover them', () => {
  const retracked = VALID.replace('&tr=https%3A%2F%2Fu.example%2Fannounce', '&tr=udp%3A%2F%2Fnew.example%3A1&tr=wss%3A%2F%2Fw.example')
  assert.deepEqual(parseChannelUri(retracked), { ...FIELDS, trackers: [['udp://t.example:6969'], ['udp://new.example:1'], ['wss://w.example']] })
  assert.deepEqual(parseChannelUri(VALID.replace(/&tr=[^&]+/g, '')).trackers, [])
})

test('rejects the formats 1 and 2 with what to do', () => {
  rejects(withParam('sig', null).replace('v=3', 'v=1'), /older BitChat.*ask for a new invite/)
  rejects(withParam('sig', null).replace('v=3', 'v=2') + '&x=' + '00'.repeat(16), /older BitChat.*ask for a new invite/)
})

test('refuses to write a link for an unsigned channel', () => {
  assert.throws(() => toChannelUri({ ...FIELDS, signature: null }), (err: unknown) => err instanceof BitChatError && err.code === 'FORBIDDEN' && /ask its creator/.test(err.message))
})

test('an open channel round-trips through the link', () => {
  const d = createChannelDescriptor({ name: 'a=b&c?d#e/f %', trackers: ['udp://t.example:1/announce?x=1&y=2', 'wss://w.example'], mode: 'open', creator: founder })
  const uri = toChannelUri(d)
  assert.match(uri, /^bitchat:\?v=3&n=/)
  assert.deepEqual(parseChannelUri(uri), d)
})

test('an invite channel round-trips through the link with its members', () => {
  const d = createChannelDescriptor({ name: 'club', trackers: [], mode: 'invite', creator: founder, members: [alice] })
  const uri = toChannelUri(d)
  assert.ok(uri.includes(`&k=${ALICE}`))
  assert.deepEqual(parseChannelUri(uri), d)
})

test('writes the parameters in the order of PROTOCOL §1.2 with hex keys', () => {
  const d = createChannelDescriptor({ name: 'x', trackers: ['udp://t.example:1'], mode: 'invite', creator: founder, members: [alice], now: 5000 })
  assert.equal(toChannelUri(d), `bitchat:?v=3&n=x&s=${toHex(d.secret)}&m=invite&t=5&c=${CREATOR}&tr=udp%3A%2F%2Ft.example%3A1&k=${ALICE}&sig=${toHex(d.signature!)}`)
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
  const d = createChannelDescriptor({ name: 'big', trackers: [], mode: 'invite', creator: founder, members })
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
  rejects(withParam('v', '4') + '&future=1', /unknown version "4"/)
  rejects(withParam('v', null), /missing v/)
  rejects(VALID + '&v=1', /v given more than once/)
})

test('rejects unknown and repeated parameters', () => {
  rejects(VALID + '&y=1', /unknown parameter "y"/)
  rejects(VALID + '&n=again', /n given more than once/)
})

test('rejects each missing required parameter', () => {
  for (const key of ['n', 's', 'm', 't', 'c', 'sig']) rejects(withParam(key, null), new RegExp(`missing ${key}`))
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
