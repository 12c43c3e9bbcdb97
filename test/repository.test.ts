// What a merge can leave behind unnoticed by the type checker: conflict markers in docs and data.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')

test('no tracked file holds a merge-conflict marker', t => {
  const found = spawnSync('git', ['grep', '-n', '-I', '-E', '^(<{7}|>{7}) '], { cwd: root, encoding: 'utf8' })
  if (found.error !== undefined || found.status === 128) {
    t.skip('not a git checkout: no tracked files to look through')
    return
  }
  // git grep answers 1 when nothing matches.
  assert.equal(found.status, 1, `conflict markers left by a merge:\n${found.stdout}`)
})
