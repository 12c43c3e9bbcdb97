import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { safeFileStem } from '../../core/codec/file-name.ts'
import { freeName, numberedName, safeDownloadName } from '../../core/transfer/download-name.ts'
import { MAX_SAVED_NAME_BYTES } from '../../core/transfer/transfer-limits.ts'

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8')

test('hostile and odd names become one safe name in the folder', () => {
  const table: Array<[string, string]> = [
    ['report.pdf', 'report.pdf'],
    ['../../x', 'x'],
    ['..', 'download'],
    ['.', 'download'],
    ['../', 'download'],
    ['/etc/passwd', 'passwd'],
    ['C:\\x', 'x'],
    ['C:x', 'C_x'],
    ['\\\\server\\share\\evil.exe', 'evil.exe'],
    ['file.txt:stream', 'file.txt_stream'],
    ['CON', '_CON'],
    ['CON.txt', '_CON.txt'],
    ['con.tar.gz', '_con.tar.gz'],
    ['nul ', '_nul'],
    ['NUL .txt', '_NUL .txt'],
    ['COM1', '_COM1'],
    ['lpt9.log', '_lpt9.log'],
    ['COM¹.txt', '_COM¹.txt'],
    ['CONSOLE.txt', 'CONSOLE.txt'],
    ['COM10', 'COM10'],
    ['a\u0000b.txt', 'a_b.txt'],
    ['line\nbreak.txt', 'line_break.txt'],
    ['tab\there', 'tab_here'],
    ['photo\u202Egpj.exe', 'photogpj.exe'],
    ['\u2066x\u2069.pdf', 'x.pdf'],
    ['zero\u200bwidth', 'zerowidth'],
    ['what?<>|*".txt', 'what______.txt'],
    ['trailing dots...', 'trailing dots'],
    ['trailing spaces   ', 'trailing spaces'],
    ['.hidden', 'hidden'],
    ['...', 'download'],
    ['', 'download'],
    ['   ', 'download'],
    ['\u0000', '_'],
    ['lone \ud800 surrogate', 'lone \ufffd surrogate'],
    ['e\u0301.txt', '\u00e9.txt'],
    ['日本語のファイル.txt', '日本語のファイル.txt']
  ]
  for (const [offered, expected] of table) assert.equal(safeDownloadName(offered), expected, JSON.stringify(offered))
})

test('a 10,000-character name is cut at a character boundary within the byte limit, keeping the extension', () => {
  for (const written of ['a', 'é', '日', '👍🏽', 'e\u0301']) {
    const unit = written.normalize('NFC')
    const name = safeDownloadName(unit.repeat(10_000) + '.jpeg')
    assert.ok(bytes(name) <= MAX_SAVED_NAME_BYTES, `${unit}: ${bytes(name)} bytes`)
    assert.ok(name.endsWith('.jpeg'), unit)
    const stem = name.slice(0, -'.jpeg'.length)
    assert.equal(stem, unit.repeat(stem.length / unit.length), `${unit}: cut inside a character`)
    assert.ok(bytes(stem) > MAX_SAVED_NAME_BYTES - 5 - bytes(unit) * 2, `${unit}: cut more than needed`)
  }
  const longExtension = safeDownloadName('x.' + 'y'.repeat(10_000))
  assert.equal(bytes(longExtension), MAX_SAVED_NAME_BYTES)
  assert.equal(safeDownloadName('.'.repeat(10_000) + 'tail'), 'tail')
})

test('every safe name is a single component that stays inside the folder', () => {
  const hostile = ['../../x', '/etc/passwd', 'C:\\x', 'CON', 'a\u0000', 'x'.repeat(10_000), '..\\..\\y', '\n', '\u202e']
  const folder = path.resolve('/downloads')
  for (const offered of hostile) {
    const name = safeDownloadName(offered)
    assert.equal(path.dirname(path.resolve(folder, name)), folder, JSON.stringify(offered))
    assert.equal(path.win32.basename(name), name)
    assert.doesNotMatch(name, /[\p{Cc}]/u)
  }
})

test('numbered names go before the extension', () => {
  assert.equal(numberedName('a.txt', 0), 'a.txt')
  assert.equal(numberedName('a.txt', 1), 'a (1).txt')
  assert.equal(numberedName('a.tar.gz', 2), 'a.tar (2).gz')
  assert.equal(numberedName('README', 3), 'README (3)')
})

test('a free name is the first numbered one the folder does not have', async (t) => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bitchat-names-'))
  t.after(() => fs.rmSync(folder, { recursive: true, force: true }))
  assert.equal(await freeName(folder, 'a.txt'), 'a.txt')
  fs.writeFileSync(path.join(folder, 'a.txt'), '')
  fs.mkdirSync(path.join(folder, 'a (1).txt'))
  fs.symlinkSync('/nonexistent', path.join(folder, 'a (2).txt'))
  assert.equal(await freeName(folder, 'a.txt'), 'a (3).txt')
})

test('a missing folder is an error, not a free name', async () => {
  await assert.rejects(freeName('/nonexistent-bitchat-folder/sub', 'a.txt'), { code: 'ENOENT' })
})

test('file names made from names people gave follow the same device-name rule', () => {
  assert.equal(safeFileStem('con.txt', 'x'), '_con.txt')
  assert.equal(safeFileStem('Nul', 'x'), '_Nul')
  assert.equal(safeFileStem('Connie', 'x'), 'Connie')
})
