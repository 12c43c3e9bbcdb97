// What the operating system asks us to open: `.chat` files (file association: a path in argv
// on Windows and Linux, an `open-file` event on macOS) and `bitchat:` links (protocol handler:
// argv on Windows and Linux, `open-url` on macOS). Pure functions over untrusted strings.
import path from 'node:path'

export type OpenTarget = { file: string } | { uri: string }

/** More than this many targets in one command line is not a person double-clicking. */
const MAX_TARGETS = 16

function isChatFile (arg: string): boolean {
  return arg.toLowerCase().endsWith('.chat') && !arg.startsWith('-') && !/^[a-z][a-z0-9+.-]*:\/\//i.test(arg)
}

function isBitchatUrl (arg: string): boolean {
  return arg.slice(0, 8).toLowerCase() === 'bitchat:'
}

/**
 * Targets named in a command line (our own at start, or a second instance's). Chromium switches
 * and the executable or app path never match, so every argument can be looked at.
 */
export function targetsFromArgv (argv: readonly string[], cwd: string): OpenTarget[] {
  const targets: OpenTarget[] = []
  for (const arg of argv) {
    if (targets.length === MAX_TARGETS) break
    if (isBitchatUrl(arg)) targets.push({ uri: arg })
    else if (isChatFile(arg)) targets.push({ file: path.resolve(cwd, arg) })
  }
  return targets
}

/** The target of a macOS `open-file` event, or null for a file that is not a channel. */
export function targetFromOpenFile (file: string): OpenTarget | null {
  return isChatFile(file) && path.isAbsolute(file) ? { file } : null
}

/** The target of a macOS `open-url` event, or null for a link that is not ours. */
export function targetFromOpenUrl (url: string): OpenTarget | null {
  return isBitchatUrl(url) ? { uri: url } : null
}
