// The BitChat package folder, found from a module's own location, so paths hold both for the
// TypeScript sources (core/daemon/) and for the compiled build (dist/core/daemon/).
import { readFileSync } from 'node:fs'
import path from 'node:path'

export interface PackageInfo {
  root: string
  version: string
}

export function findPackage (fromDir: string): PackageInfo {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown }
      if (pkg.name === 'bitchat' && typeof pkg.version === 'string') return { root: dir, version: pkg.version }
    } catch {
      // No package.json here, or not ours: keep climbing.
    }
    if (path.dirname(dir) === dir) throw new Error(`no bitchat package.json above ${fromDir}`)
  }
}
