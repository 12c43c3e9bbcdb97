import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createLineSplitter } from '../../core/rpc/line-splitter.ts'

function collect (max?: number) {
  const lines: string[] = []
  let overlong = 0
  const splitter = createLineSplitter({ line: l => { lines.push(l) }, overlong: () => { overlong++ } }, max)
  return { splitter, lines, overlong: () => overlong }
}

const bytes = (s: string): Buffer => Buffer.from(s)

test('lines split on newlines across chunk boundaries', () => {
  const { splitter, lines } = collect()
  splitter.push(bytes('{"a"'))
  splitter.push(bytes(':1}\n{"b":2}\n{"c"'))
  splitter.push(bytes(':3}\n'))
  assert.deepEqual(lines, ['{"a":1}', '{"b":2}', '{"c":3}'])
})

test('CRLF endings are trimmed and blank lines skipped', () => {
  const { splitter, lines } = collect()
  splitter.push(bytes('one\r\n\r\n\n  \ntwo\n'))
  assert.deepEqual(lines, ['one', 'two'])
})

test('a multi-byte character split across chunks decodes intact', () => {
  const { splitter, lines } = collect()
  const all = bytes('héllo ✓\n')
  splitter.push(all.subarray(0, 2))
  splitter.push(all.subarray(2, 9))
  splitter.push(all.subarray(9))
  assert.deepEqual(lines, ['héllo ✓'])
})

test('end delivers a last line without a newline', () => {
  const { splitter, lines } = collect()
  splitter.push(bytes('a\nb'))
  assert.deepEqual(lines, ['a'])
  splitter.end()
  assert.deepEqual(lines, ['a', 'b'])
})

test('a line exactly at the limit is delivered', () => {
  const { splitter, lines, overlong } = collect(8)
  splitter.push(bytes('12345678\n'))
  assert.deepEqual(lines, ['12345678'])
  assert.equal(overlong(), 0)
})

test('an overlong line is reported once and skipped up to its newline', () => {
  const { splitter, lines, overlong } = collect(8)
  splitter.push(bytes('ok\n12345'))
  splitter.push(bytes('6789'))
  splitter.push(bytes('abcdef'))
  splitter.push(bytes('ghi\nnext\n'))
  assert.deepEqual(lines, ['ok', 'next'])
  assert.equal(overlong(), 1)
})

test('an overlong line that never ends is dropped at end', () => {
  const { splitter, lines, overlong } = collect(4)
  splitter.push(bytes('123456789'))
  splitter.end()
  assert.deepEqual(lines, [])
  assert.equal(overlong(), 1)
})

test('memory held for an endless line stays under the limit', () => {
  const max = 64 * 1024
  const { splitter, overlong } = collect(max)
  const chunk = Buffer.alloc(16 * 1024, 0x61)
  const before = process.memoryUsage().arrayBuffers
  for (let i = 0; i < 4096; i++) splitter.push(chunk)
  assert.ok(process.memoryUsage().arrayBuffers - before < 8 * 1024 * 1024)
  assert.equal(overlong(), 1)
})
