// JSON-RPC over a pair of byte streams, one JSON message per line (the daemon's stdin/stdout).
import type { Readable, Writable } from 'node:stream'
import type { BitChatService } from '../api/service.ts'
import type { Logger } from '../log.ts'
import { silentLogger } from '../log.ts'
import { invalidRequestText, serveJsonRpc } from './json-rpc.ts'
import { createLineSplitter, MAX_LINE_BYTES } from './line-splitter.ts'
import { OutboundQueue } from './outbound-queue.ts'

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
  let closed = false
  const outbound = new OutboundQueue({
    write: (text, done) => { output.write(text + '\n', () => { done() }) },
    // Only one reader: cut off, it is as if it had gone away (EPIPE).
    onOverflow: () => { stopServing() },
    log
  })
  const rpc = serveJsonRpc(service, (text, what) => { outbound.send(text, what) }, log)
  let queue = Promise.resolve()
  let queued = 0

  const splitter = createLineSplitter({
    line (text) {
      queued++
      if (queued === MAX_QUEUED_LINES) input.pause()
      // The next line waits until this one's reply is written: a reader that does not read its
      // replies stops us reading its requests, instead of growing the replies without bound.
      queue = queue.then(() => rpc.receive(text)).then(() => outbound.whenRepliesFlow()).finally(() => {
        queued--
        if (queued === MAX_QUEUED_LINES / 2 && !closed) input.resume()
      })
    },
    overlong () {
      queue = queue.then(() => { outbound.send(invalidRequestText(`a line must be at most ${MAX_LINE_BYTES} bytes`), { kind: 'reply' }) })
    }
  })
  let stopServing = (): void => {}

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
    stopServing = () => {
      outbound.close()
      finish()
    }
    // A reader that went away (EPIPE) cannot be answered any more: stop as if the input had ended.
    output.once('error', (err: Error) => {
      log.warn('JSON-RPC output failed', { error: err.message })
      stopServing()
    })
  })

  return {
    ended,
    close () {
      closed = true
      rpc.close()
      outbound.close()
      input.pause()
    }
  }
}
