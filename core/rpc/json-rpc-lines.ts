// JSON-RPC over a pair of byte streams, one JSON message per line (the daemon's stdin/stdout).
import type { Readable, Writable } from 'node:stream'
import type { BitChatService } from '../api/service.ts'
import type { Logger } from '../log.ts'
import { silentLogger } from '../log.ts'
import { invalidRequestText, serveJsonRpc } from './json-rpc.ts'
import { createLineSplitter, MAX_LINE_BYTES } from './line-splitter.ts'

export interface JsonRpcLines {
  /** Resolves once the input has ended (or failed) and every request read from it has been answered. */
  readonly ended: Promise<void>
  /** Stops reading, forwarding events and answering. */
  close (): void
}

/** Lines read but not yet answered before we stop reading: bounds memory when input outpaces the node. */
const MAX_QUEUED_LINES = 64

/**
 * Lines are handled one after another, so a script can rely on order (create, then send);
 * a client that wants concurrency sends a batch.
 */
export function serveJsonRpcLines (opts: { service: BitChatService; input: Readable; output: Writable; log?: Logger }): JsonRpcLines {
  const { service, input, output } = opts
  const log = opts.log ?? silentLogger
  let outputBroken = false
  let closed = false
  const write = (text: string): void => {
    if (!outputBroken) output.write(text + '\n')
  }
  const rpc = serveJsonRpc(service, write, log)
  let queue = Promise.resolve()
  let queued = 0

  const splitter = createLineSplitter({
    line (text) {
      queued++
      if (queued === MAX_QUEUED_LINES) input.pause()
      queue = queue.then(() => rpc.receive(text)).finally(() => {
        queued--
        if (queued === MAX_QUEUED_LINES / 2 && !closed) input.resume()
      })
    },
    overlong () {
      queue = queue.then(() => { write(invalidRequestText(`a line must be at most ${MAX_LINE_BYTES} bytes`)) })
    }
  })

  const ended = new Promise<void>(resolve => {
    let done = false
    const finish = (): void => {
      if (done) return
      done = true
      splitter.end()
      input.off('data', onData)
      void queue.then(() => { resolve() })
    }
    const onData = (chunk: Buffer | string): void => {
      splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
    }
    input.on('data', onData)
    input.once('end', finish)
    input.once('close', finish)
    input.once('error', (err: Error) => {
      log.warn('JSON-RPC input failed', { error: err.message })
      finish()
    })
    // A reader that went away (EPIPE) cannot be answered any more: stop as if the input had ended.
    output.once('error', (err: Error) => {
      outputBroken = true
      log.warn('JSON-RPC output failed', { error: err.message })
      finish()
    })
  })

  return {
    ended,
    close () {
      closed = true
      rpc.close()
      input.pause()
    }
  }
}
