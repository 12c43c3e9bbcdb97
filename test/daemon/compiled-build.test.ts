// The build (`npm run build:core` and `build:electron`) is what the packaged app and bin/bitchat
// run: plain JavaScript, every relative import rewritten to .js, so no type stripping is needed at
// run time. Built here into a scratch folder, so the test checks the sources as they are now.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { createTestnet, waitUntil } from '../helpers/testnet.ts'

const root = path.resolve(import.meta.dirname, '..', '..')
const TS_FILE = /\.(ts|tsx|mts|cts)$/
let out = ''

function filesUnder (dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter(e => e.isFile()).map(e => path.join(e.parentPath, e.name))
}

/** Every module specifier in emitted JavaScript: static and dynamic imports, re-exports, require(). */
function specifiers (code: string): string[] {
  return [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(['"])([^'"\n]+)\1/g)].map(m => m[2] as string)
}

before(() => {
  fs.mkdirSync(path.join(root, 'test-artifacts'), { recursive: true })
  out = fs.mkdtempSync(path.join(root, 'test-artifacts', 'build-'))
  for (const project of ['core/tsconfig.json', 'electron/tsconfig.json']) {
    const tsc = spawnSync(path.join(root, 'node_modules', '.bin', 'tsc'), ['-p', path.join(root, project), '--outDir', out], { encoding: 'utf8' })
    assert.equal(tsc.status, 0, `tsc -p ${project}: ${tsc.stdout}${tsc.stderr}`)
  }
})

after(() => { fs.rmSync(out, { recursive: true, force: true }) })

test('the scanner sees every form of module specifier tsc emits', () => {
  assert.deepEqual(specifiers(`import a from './a.js';\nimport { b } from "./b.js";\nexport * from './c.js';\nimport './d.js';\nconst e = await import('./e.js');\nconst f = require("./f.cjs");`),
    ['./a.js', './b.js', './c.js', './d.js', './e.js', './f.cjs'])
})

test('every core module is built, and nothing else lands in the build', () => {
  const sources = filesUnder(path.join(root, 'core')).filter(f => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  const missing = sources.map(f => path.relative(root, f).replace(/\.ts$/, '.js')).filter(f => !fs.existsSync(path.join(out, f)))
  assert.deepEqual(missing, [])
  assert.deepEqual(fs.readdirSync(out).sort(), ['core', 'electron'])
})

test('no built module imports a TypeScript file', () => {
  const built = filesUnder(out).filter(f => /\.(js|cjs|mjs)$/.test(f))
  assert.ok(built.length > 100, `only ${built.length} modules built`)
  const offenders = built.flatMap(f => specifiers(fs.readFileSync(f, 'utf8')).filter(s => s.startsWith('.') && TS_FILE.test(s)).map(s => `${path.relative(out, f)}: ${s}`))
  assert.deepEqual(offenders, [])
})

test('the built daemon runs on a Node that strips no types, with the web UI and a tracker loaded late', async (t) => {
  const net = await createTestnet()
  t.after(() => net.close())
  const daemon = net.daemon('compiled', {
    cli: [process.execPath, '--no-experimental-strip-types', path.join(out, 'core', 'daemon', 'cli.js')],
    args: ['--web']
  })
  const { channelId } = await daemon.call('channels.create', { name: 'compiled', trackers: [net.trackerUrl] })
  await waitUntil(async () => {
    const status = await daemon.call('network.status', {})
    return status.channels.find(c => c.channelId === channelId)?.trackers[0]?.lastAnnounceAt != null
  }, 10_000, 'the first announce')
  assert.ok(daemon.stderr.some(line => line.startsWith('web UI: http://')), daemon.stderr.join('\n'))
  assert.equal(await daemon.stop(), 0, daemon.stderr.slice(-5).join('\n'))
})
