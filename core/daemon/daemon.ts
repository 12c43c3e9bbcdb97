// `bitchat daemon`: one node, driven over JSON-RPC on stdin/stdout, optionally with the web UI.
// stdout carries JSON-RPC only; people read stderr.
import type { Readable, Writable } from 'node:stream'
import type { BitChatService } from '../api/service.ts'
import { createLogger, type Logger } from '../log.ts'
import { installSafetyNet } from '../safety-net.ts'
import type { NodeOptions } from '../node/options.ts'
import { serveJsonRpcLines } from '../rpc/json-rpc-lines.ts'
import type { WebServer } from '../web/web-server.ts'
import type { DaemonOptions } from './args.ts'
import { readPassphraseFile } from './passphrase-file.ts'
import { loadWebAddress, saveWebAddress } from './web-address.ts'
import { errorMessage } from '../error-message.ts'

export interface DaemonDeps {
  startNode (opts: NodeOptions): Promise<BitChatService>
  stdin: Readable
  stdout: Writable
  stderr: Writable
  /** Where SIGINT and SIGTERM arrive (the process). */
  signals: NodeJS.EventEmitter
  /** The built renderer, for --web. */
  staticDir: string
  /** Where escaped errors surface (the process), to be logged instead of ending the node; absent, they crash as usual. */
  errors?: NodeJS.EventEmitter
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const

/** Runs until stdin ends or a stop signal arrives, then shuts the node down; resolves to the exit code. */
export async function runDaemon (options: DaemonOptions, deps: DaemonDeps): Promise<number> {
  const { stderr } = deps
  const log = createLogger({ level: options.logLevel, write: line => { stderr.write(line + '\n') } })
  const uninstallSafetyNet = deps.errors === undefined ? () => {} : installSafetyNet(deps.errors, log)
  try {
    return await runNode(options, deps, log)
  } finally {
    uninstallSafetyNet()
  }
}

async function runNode (options: DaemonOptions, deps: DaemonDeps, log: Logger): Promise<number> {
  const { stderr } = deps
  const fail = (what: string, err: unknown): number => {
    stderr.write(`bitchat: ${what}: ${errorMessage(err)}\n`)
    return 1
  }

  let passphrase: string | undefined
  if (options.passphraseFile !== undefined) {
    try {
      passphrase = await readPassphraseFile(options.passphraseFile)
    } catch (err) {
      return fail('cannot read the passphrase', err)
    }
  }

  let service: BitChatService
  try {
    service = await deps.startNode({
      dataDir: options.dataDir,
      port: options.port,
      host: options.host,
      ...(options.proxy === undefined ? {} : { proxy: options.proxy }),
      ...(options.portMapping === undefined ? {} : { portMapping: options.portMapping }),
      name: options.name,
      createIdentity: options.askIdentity !== true,
      passphrase,
      dht: options.dht ? { bootstrap: options.dhtBootstrap } : false,
      lan: options.lan && options.lanInterface !== undefined ? { interfaceAddress: options.lanInterface } : options.lan,
      ...(options.acceptIncoming === undefined ? {} : { acceptIncoming: options.acceptIncoming }),
      ...(options.relayForOthers === undefined ? {} : { relayForOthers: options.relayForOthers }),
      ...(options.relayOnly === undefined ? {} : { relayOnly: options.relayOnly }),
      log
    })
  } catch (err) {
    return fail('cannot start the node', err)
  }

  const rpc = serveJsonRpcLines({ service, input: deps.stdin, output: deps.stdout, log: log.child({ rpc: 'stdio' }) })
  let web: WebServer | undefined
  if (options.web) {
    try {
      web = await startWebUi(service, options, deps.staticDir, log.child({ rpc: 'web' }))
      stderr.write(`web UI: ${web.url}\n`)
    } catch (err) {
      rpc.close()
      await service.close()
      return fail('cannot start the web UI', err)
    }
  }

  let stopping = false
  let stop = (_reason: string): void => {}
  const stopped = new Promise<string>(resolve => { stop = resolve })
  const onSignal = (signal: string): void => {
    // A second signal while closing means the person wants out now.
    if (stopping) {
      stderr.write('bitchat: forced exit\n')
      process.exit(130)
    }
    stop(signal)
  }
  for (const signal of STOP_SIGNALS) deps.signals.on(signal, onSignal)
  void rpc.ended.then(() => { stop('end of input') })
  log.info('shutting down', { reason: await stopped })
  stopping = true
  rpc.close()
  try {
    await web?.close()
    await service.close()
  } catch (err) {
    return fail('the node did not close cleanly', err)
  } finally {
    for (const signal of STOP_SIGNALS) deps.signals.off(signal, onSignal)
  }
  log.info('stopped')
  return 0
}

/**
 * The web UI on the port and token of the last run in this data folder, so a tab left open
 * reconnects by itself; on another port when that one is taken (the tab must then be reopened).
 */
async function startWebUi (service: BitChatService, options: DaemonOptions, staticDir: string, log: Logger): Promise<WebServer> {
  // Loaded here, not at start: a daemon without --web never needs the HTTP server or ws.
  const { startWebServer } = await import('../web/web-server.ts')
  const saved = loadWebAddress(options.dataDir)
  const start = (port: number | undefined): Promise<WebServer> => startWebServer({ service, staticDir, port, token: saved?.token, log })
  let web: WebServer
  if (options.webPort !== undefined || saved === null) {
    web = await start(options.webPort)
  } else {
    try {
      web = await start(saved.port)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err
      log.warn('the web UI port of the last run is taken: a tab open on the old address must open the new one', { port: saved.port })
      web = await start(undefined)
    }
  }
  try {
    saveWebAddress(options.dataDir, { port: web.port, token: web.token })
  } catch (err) {
    log.warn('cannot remember the web UI address: the next run will have a new one', { error: errorMessage(err) })
  }
  return web
}
