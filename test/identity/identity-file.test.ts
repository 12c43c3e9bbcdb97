import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decodeIdentityFile, encodeIdentityFile, type IdentityFile } from '../../core/identity/identity-file.ts'
import { sealBytes } from '../../core/identity/sealed-key.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { BitChatError } from '../../core/api/errors.ts'

const content = (): IdentityFile => ({
  secretKey: generateIdentity().secretKey,
  name: 'Zoë',
  contacts: [{ publicKey: 'ab'.repeat(32), name: 'Bob', theirName: 'bob', notes: 'from work', verified: true, blocked: false }]
})
const code = (c: string) => (err: unknown): boolean => err instanceof BitChatError && err.code === c
const magic = new TextEncoder().encode('BitChat identity\0')
const sealedFile = async (payload: Uint8Array): Promise<Uint8Array> => Uint8Array.from([...magic, 1, ...await sealBytes(payload, 'pw')])

test('an identity file round-trips key, name and address book under its passphrase', async () => {
  const c = content()
  const bytes = await encodeIdentityFile(c, 'correct horse')
  assert.deepEqual(await decodeIdentityFile(bytes, 'correct horse'), c)
  // Nothing of it reads without the passphrase, not even the name.
  assert.ok(!Buffer.from(bytes).includes(Buffer.from('Zo')))
})

test('a wrong passphrase or an altered byte is WRONG_PASSPHRASE', async () => {
  const bytes = await encodeIdentityFile(content(), 'correct horse')
  await assert.rejects(decodeIdentityFile(bytes, 'battery staple'), code('WRONG_PASSPHRASE'))
  const altered = Uint8Array.from(bytes)
  altered[altered.length - 5] = (altered[altered.length - 5] ?? 0) ^ 1
  await assert.rejects(decodeIdentityFile(altered, 'correct horse'), code('WRONG_PASSPHRASE'))
})

test('what is not an identity file, or holds malformed details, is FILE_ERROR in plain words', async () => {
  await assert.rejects(decodeIdentityFile(new TextEncoder().encode('d3:foo3:bare'), 'pw'), (err: unknown) => code('FILE_ERROR')(err) && /not a BitChat identity file/.test((err as Error).message))
  await assert.rejects(decodeIdentityFile(Uint8Array.from([...magic, 9]), 'pw'), /newer BitChat/)
  const key = generateIdentity().secretKey
  const withDetails = (details: string): Uint8Array => Uint8Array.from([...key, ...new TextEncoder().encode(details)])
  await assert.rejects(decodeIdentityFile(await sealedFile(withDetails('not json')), 'pw'), /cannot be read/)
  await assert.rejects(decodeIdentityFile(await sealedFile(withDetails('{"name":"a\\nb","contacts":[]}')), 'pw'), /not a valid name/)
  await assert.rejects(decodeIdentityFile(await sealedFile(withDetails('{"name":"ok","contacts":[{"publicKey":"zz"}]}')), 'pw'), /contact 1/)
  await assert.rejects(decodeIdentityFile(await sealedFile(new Uint8Array(10)), 'pw'), /holds no key/)
})
