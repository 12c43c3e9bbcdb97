// How the operating system reaches a running BitChat: one instance per user (a second launch
// hands its command line to the first and quits), `bitchat:` links and `.chat` files.
import path from 'node:path'
import type { OpenTarget } from './open-targets.ts'
import { targetFromOpenFile, targetFromOpenUrl, targetsFromArgv } from './open-targets.ts'
import type { PreventableEvent } from './preventable-event.ts'

export interface LifecycleApp {
  requestSingleInstanceLock (): boolean
  quit (): void
  setAsDefaultProtocolClient (protocol: string, path?: string, args?: string[]): boolean
  on (event: 'second-instance', listener: (event: unknown, argv: string[], workingDirectory: string) => void): unknown
  on (event: 'open-file', listener: (event: PreventableEvent, path: string) => void): unknown
  on (event: 'open-url', listener: (event: PreventableEvent, url: string) => void): unknown
}

export interface LaunchProcess {
  argv: readonly string[]
  execPath: string
  /** Set when Electron runs an unpackaged app (`electron .`). */
  defaultApp?: boolean
  cwd (): string
}

export const PROTOCOL = 'bitchat'

/** True when this is the only BitChat running for this user; otherwise asks the app to quit. */
export function claimSingleInstance (app: LifecycleApp): boolean {
  if (app.requestSingleInstanceLock()) return true
  app.quit()
  return false
}

/** Makes the OS hand `bitchat:` links to us, with the app path when unpackaged so the link starts this app. */
export function registerProtocolClient (app: LifecycleApp, proc: LaunchProcess): boolean {
  const appPath = proc.argv[1]
  if (proc.defaultApp === true && appPath !== undefined) {
    return app.setAsDefaultProtocolClient(PROTOCOL, proc.execPath, [path.resolve(appPath)])
  }
  return app.setAsDefaultProtocolClient(PROTOCOL)
}

export interface OpenTargetRouter {
  /** Opens every target from now on, starting with those that arrived before (launch argv, early macOS events). */
  start (open: (target: OpenTarget) => Promise<void>): void
}

/**
 * Listens for open requests from the moment it is called, which must be before the app is
 * ready: macOS delivers the file or link that launched us as an early event.
 */
export function listenForOpenTargets (app: LifecycleApp, proc: LaunchProcess, onSecondInstance: () => void): OpenTargetRouter {
  const pending: OpenTarget[] = targetsFromArgv(proc.argv.slice(1), proc.cwd())
  let open: ((target: OpenTarget) => Promise<void>) | null = null
  // One at a time, in the order they came, so two links never race for the same channel.
  let queue = Promise.resolve()
  const deliver = (target: OpenTarget | null): void => {
    if (target === null) return
    if (open === null) {
      pending.push(target)
      return
    }
    const run = open
    queue = queue.then(() => run(target))
  }

  app.on('second-instance', (_event, argv, workingDirectory) => {
    onSecondInstance()
    for (const target of targetsFromArgv(argv.slice(1), workingDirectory)) deliver(target)
  })
  app.on('open-file', (event, file) => {
    event.preventDefault()
    deliver(targetFromOpenFile(file))
  })
  app.on('open-url', (event, url) => {
    event.preventDefault()
    deliver(targetFromOpenUrl(url))
  })

  return {
    start (fn) {
      open = fn
      for (const target of pending.splice(0)) deliver(target)
    }
  }
}
