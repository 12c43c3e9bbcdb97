// Entry point of the `bitchat` command (bin/bitchat runs it with the project's own Node, compiled
// from dist/core/daemon/cli.js when the build is fresh, from this file otherwise).
import { enableCompileCache } from 'node:module'
import path from 'node:path'
import { parseArgs, USAGE, UsageError } from './args.ts'
import type { Command } from './args.ts'
import { findPackage } from './package-root.ts'
import { strictErrors } from '../safety-net.ts'

const EXIT_FLUSH_MS = 2000

async function main (argv: readonly string[]): Promise<number> {
  let command: Command
  try {
    command = parseArgs(argv)
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    process.stderr.write(`bitchat: ${err.message}\n\n${USAGE}`)
    return 2
  }
  const pkg = findPackage(import.meta.dirname)
  switch (command.command) {
    case 'help':
      process.stdout.write(USAGE)
      return 0
    case 'version':
      process.stdout.write(`bitchat ${pkg.version}\n`)
      return 0
    case 'daemon': {
      // stdout belongs to JSON-RPC: a stray console.log in any dependency must not corrupt it.
      console.log = console.info = console.debug = console.error
      // V8's compiled code for every module below kept on disk (os.tmpdir() unless NODE_COMPILE_CACHE
      // names a folder; NODE_DISABLE_COMPILE_CACHE=1 turns it off): later starts skip most compiling.
      // A cache that cannot be written is only a slower start, never an error.
      enableCompileCache()
      // Loaded only here, so help and version stay instant and do not open native modules.
      const [{ runDaemon }, { startNode }] = await Promise.all([import('./daemon.ts'), import('../node/node.ts')])
      return await runDaemon(command.options, {
        startNode,
        stdin: process.stdin,
        stdout: process.stdout,
        stderr: process.stderr,
        signals: process,
        errors: strictErrors(process.env) ? undefined : process,
        staticDir: path.join(pkg.root, 'dist', 'renderer')
      })
    }
  }
}

const code = await main(process.argv.slice(2))
// What is already written must reach the reader whole (a cut line is not JSON), but a reader that
// stopped reading cannot hold the exit for long.
await new Promise<void>(resolve => {
  setTimeout(resolve, EXIT_FLUSH_MS).unref()
  process.stdout.write('', () => { resolve() })
})
process.exit(code)
