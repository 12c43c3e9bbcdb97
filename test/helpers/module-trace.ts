// Preloaded into a daemon (NODE_OPTIONS=--import=this file) to list every module it loads: the
// URLs, one a line, are written to $BITCHAT_MODULE_TRACE when the process exits.
import { writeFileSync } from 'node:fs'
import { registerHooks } from 'node:module'
import { pathToFileURL } from 'node:url'

const out = process.env.BITCHAT_MODULE_TRACE
if (out !== undefined && out !== '') {
  const loaded: string[] = []
  registerHooks({
    load (url, context, next) {
      loaded.push(url)
      return next(url, context)
    }
  })
  process.on('exit', () => { writeFileSync(out, loaded.join('\n') + '\n') })
}

/** The environment that makes a child process write its module list to `file`. */
export function moduleTraceEnv (file: string): Record<string, string> {
  return {
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(import.meta.filename).href}`.trim(),
    BITCHAT_MODULE_TRACE: file
  }
}
