import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { loadWebAddress, saveWebAddress } from '../../core/daemon/web-address.ts'

const folder = (): string => mkdtempSync(path.join(tmpdir(), 'bitchat-web-address-'))
const TOKEN = 'ab'.repeat(32)

test('what is saved is loaded back', () => {
  const dir = folder()
  assert.equal(loadWebAddress(dir), null)
  saveWebAddress(dir, { port: 4242, token: TOKEN })
  assert.deepEqual(loadWebAddress(dir), { port: 4242, token: TOKEN })
})

test('a damaged or edited file counts as none', () => {
  for (const text of ['', '{', 'null', '[]', '{"port":0,"token":"' + TOKEN + '"}', '{"port":70000,"token":"' + TOKEN + '"}',
    '{"port":"80","token":"' + TOKEN + '"}', '{"port":80,"token":"short"}', '{"port":80,"token":"' + TOKEN.toUpperCase() + '"}']) {
    const dir = folder()
    writeFileSync(path.join(dir, 'web-ui.json'), text)
    assert.equal(loadWebAddress(dir), null, text)
  }
})
