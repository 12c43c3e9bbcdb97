// The layers stay apart: the core runs without Electron (daemon, web UI, tests), and the renderer
// is a plain web page that reaches the core only through window.bitchat or the WebSocket, so from
// core it may take types and nothing that runs.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/

interface ImportRef { specifier: string; typeOnly: boolean }

/** Build-tool configs (vite.config.ts) run in Node at build time and are not part of the page. */
const BUILD_CONFIG = /\.config\.[cm]?[jt]s$/

function pageFiles (dir: string): string[] {
  return sourceFiles(dir).filter(file => !BUILD_CONFIG.test(file))
}

function sourceFiles (dir: string): string[] {
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return []
  }
  return entries.flatMap(entry => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full)
    return SOURCE.test(entry.name) ? [full] : []
  })
}

function importsOf (code: string): ImportRef[] {
  const text = code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')
  const refs: ImportRef[] = []
  for (const m of text.matchAll(/(?:^|[\s;}])(?:import|export)\s+(type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g)) refs.push({ specifier: m[2] as string, typeOnly: m[1] !== undefined })
  for (const m of text.matchAll(/(?:^|[\s;}])import\s*['"]([^'"]+)['"]/g)) refs.push({ specifier: m[1] as string, typeOnly: false })
  for (const m of text.matchAll(/\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) refs.push({ specifier: m[1] as string, typeOnly: false })
  return refs
}

const isElectron = (s: string): boolean => s === 'electron' || s.startsWith('electron/')
const builtins = new Set(builtinModules)
const isNodeBuiltin = (s: string): boolean => s.startsWith('node:') || builtins.has(s) || builtins.has(s.split('/')[0] as string)

test('the import scanner sees every form of import', () => {
  const refs = importsOf(`import a from 'a'\nimport { b,\n  c } from "b"\nimport type { T } from 'c'\nexport type { U } from 'd'\nexport * from 'e'\nimport 'f'\nconst g = await import('g')\nconst h = require('h')\n// import x from 'commented'\n/* import y from 'commented' */`)
  assert.deepEqual(refs, [
    { specifier: 'a', typeOnly: false },
    { specifier: 'b', typeOnly: false },
    { specifier: 'c', typeOnly: true },
    { specifier: 'd', typeOnly: true },
    { specifier: 'e', typeOnly: false },
    { specifier: 'f', typeOnly: false },
    { specifier: 'g', typeOnly: false },
    { specifier: 'h', typeOnly: false }
  ])
})

test('no file under core/ imports electron', () => {
  const offenders = sourceFiles(path.join(root, 'core')).filter(file => importsOf(readFileSync(file, 'utf8')).some(r => isElectron(r.specifier)))
  assert.deepEqual(offenders.map(f => path.relative(root, f)), [])
})

test('no file under renderer/ imports Node builtins or electron', () => {
  const offenders = pageFiles(path.join(root, 'renderer')).flatMap(file =>
    importsOf(readFileSync(file, 'utf8')).filter(r => isNodeBuiltin(r.specifier) || isElectron(r.specifier)).map(r => `${path.relative(root, file)}: ${r.specifier}`))
  assert.deepEqual(offenders, [])
})

/** Core modules the page runs as they are, so a rule is written once: each imports nothing but another of them. */
const PURE_CORE_MODULES = new Set(['core/channel/tracker-url.ts', 'core/channel/name-rule.ts', 'core/contacts/contact-limits.ts', 'core/transport/proxy-url.ts', 'core/api/notification-rule.ts'])

test('renderer/ takes only types from core/, and code only from its pure modules', () => {
  const core = path.join(root, 'core') + path.sep
  const offenders = pageFiles(path.join(root, 'renderer')).flatMap(file =>
    importsOf(readFileSync(file, 'utf8'))
      .filter(r => {
        const target = path.resolve(path.dirname(file), r.specifier)
        return r.specifier.startsWith('.') && target.startsWith(core) && !r.typeOnly && !PURE_CORE_MODULES.has(path.relative(root, target))
      })
      .map(r => `${path.relative(root, file)}: ${r.specifier}`))
  assert.deepEqual(offenders, [])
})

test('the pure core modules the page runs import nothing but one another', () => {
  const offenders = [...PURE_CORE_MODULES].flatMap(file =>
    importsOf(readFileSync(path.join(root, file), 'utf8'))
      .filter(r => !PURE_CORE_MODULES.has(path.relative(root, path.resolve(path.dirname(path.join(root, file)), r.specifier))))
      .map(r => `${file}: ${r.specifier}`))
  assert.deepEqual(offenders, [])
})
