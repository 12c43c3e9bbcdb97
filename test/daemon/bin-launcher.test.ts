// bin/bitchat picks what to run: the compiled CLI when the build is at least as new as every source,
// the TypeScript CLI otherwise. Each case runs the real script in a package of its own whose two
// CLIs only say which one they are.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { tempDir } from '../helpers/testnet.ts'

const root = path.resolve(import.meta.dirname, '..', '..')
const BUILD_TIME = new Date('2026-01-02T00:00:00Z')

function file (pkg: string, relative: string, text: string, mtime: Date): void {
  const full = path.join(pkg, relative)
  fs.mkdirSync(path.dirname(full), { recursive: true })
  fs.writeFileSync(full, text)
  fs.utimesSync(full, mtime, mtime)
}

/** A package with bin/bitchat, the project's Node, sources last changed at `sourcesAt`, and a build made at BUILD_TIME if asked. */
function fakePackage (t: TestContext, opts: { sourcesAt: Date; built: boolean }): string {
  const pkg = tempDir('bitchat-bin-')
  t.after(() => { fs.rmSync(pkg, { recursive: true, force: true }) })
  fs.mkdirSync(path.join(pkg, 'bin'))
  fs.copyFileSync(path.join(root, 'bin', 'bitchat'), path.join(pkg, 'bin', 'bitchat'))
  fs.chmodSync(path.join(pkg, 'bin', 'bitchat'), 0o755)
  fs.mkdirSync(path.join(pkg, 'node_modules', 'node', 'bin'), { recursive: true })
  fs.symlinkSync(process.execPath, path.join(pkg, 'node_modules', 'node', 'bin', 'node'))
  file(pkg, 'core/daemon/cli.ts', "process.stdout.write('source ' + process.argv.slice(2).join(' '))\n", opts.sourcesAt)
  file(pkg, 'core/log.ts', 'export {}\n', opts.sourcesAt)
  if (opts.built) file(pkg, 'dist/core/daemon/cli.js', "process.stdout.write('compiled ' + process.argv.slice(2).join(' '))\n", BUILD_TIME)
  return pkg
}

function run (pkg: string): string {
  const result = spawnSync(path.join(pkg, 'bin', 'bitchat'), ['daemon', '--data-dir', 'd'], { encoding: 'utf8', env: { ...process.env, PATH: '/usr/bin:/bin' } })
  assert.equal(result.status, 0, result.stderr)
  return result.stdout
}

test('bin/bitchat runs the compiled CLI when the build is newer than every source', (t) => {
  const before = new Date(BUILD_TIME.getTime() - 60_000)
  assert.equal(run(fakePackage(t, { sourcesAt: before, built: true })), 'compiled daemon --data-dir d')
})

test('bin/bitchat runs the TypeScript CLI when there is no build', (t) => {
  assert.equal(run(fakePackage(t, { sourcesAt: BUILD_TIME, built: false })), 'source daemon --data-dir d')
})

test('bin/bitchat runs the TypeScript CLI when a source changed after the build', (t) => {
  const pkg = fakePackage(t, { sourcesAt: new Date(BUILD_TIME.getTime() - 60_000), built: true })
  const after = new Date(BUILD_TIME.getTime() + 1000)
  fs.utimesSync(path.join(pkg, 'core', 'log.ts'), after, after)
  assert.equal(run(pkg), 'source daemon --data-dir d')
})

test('bin/bitchat runs the build when the package has no sources', (t) => {
  const pkg = fakePackage(t, { sourcesAt: BUILD_TIME, built: true })
  fs.rmSync(path.join(pkg, 'core'), { recursive: true })
  assert.equal(run(pkg), 'compiled daemon --data-dir d')
})
