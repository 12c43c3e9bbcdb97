// Serves the built renderer from one folder. Request paths are hostile: decoded, normalized and
// checked to stay inside the folder (symlinks included) before any file is opened.
import { createReadStream } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import path from 'node:path'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm'
}

function contentTypeFor (file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream'
}

/** The file under `root` that `pathname` names (with its size, from the one stat it needs), or null when it names nothing servable there. */
export async function resolveStaticFile (root: string, pathname: string): Promise<{ path: string; size: number } | null> {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return null
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return null
  const relative = decoded === '/' ? 'index.html' : decoded.slice(1)
  // Dotfiles are never part of a build and often secrets; `..` segments are refused outright.
  if (relative.split('/').some(segment => segment.startsWith('.'))) return null
  try {
    const realRoot = await realpath(root)
    const real = await realpath(path.join(realRoot, relative))
    if (!real.startsWith(realRoot + path.sep)) return null
    const info = await stat(real)
    return info.isFile() ? { path: real, size: info.size } : null
  } catch {
    return null
  }
}

export async function serveStaticFile (req: IncomingMessage, res: ServerResponse, { path: file, size }: { path: string; size: number }): Promise<void> {
  res.statusCode = 200
  res.setHeader('Content-Type', contentTypeFor(file))
  res.setHeader('Content-Length', size)
  // index.html names the current bundle, so it is always fetched anew; the rest is revalidated.
  res.setHeader('Cache-Control', path.basename(file) === 'index.html' ? 'no-store' : 'no-cache')
  if (req.method === 'HEAD') {
    res.end()
    return
  }
  await new Promise<void>(resolve => {
    const stream = createReadStream(file)
    stream.once('error', () => { res.destroy(); resolve() })
    res.once('close', () => { stream.destroy(); resolve() })
    stream.pipe(res)
  })
}
