// JSON-RPC 2.0 server side of the BitChat API, independent of the transport: text in, text out.
// Every message is untrusted: malformed input becomes an error response, never an exception.
import type { ApiError, BitChatEvents, ErrorCode, EventName } from '../api/contract.ts'
import type { BitChatService } from '../api/service.ts'
import { dispatch } from '../api/service.ts'
import type { Logger } from '../log.ts'
import { silentLogger } from '../log.ts'
import { toPublicError } from './public-error.ts'
import { errorMessage } from '../error-message.ts'
import { BitChatError, formatMiB } from '../api/errors.ts'
import { MAX_RESULT_BYTES } from '../api/params.ts'
import type { Outgoing } from './outbound-queue.ts'

/** Largest message (one request or batch) accepted, in UTF-16 code units; transports bound bytes likewise. */
export const MAX_MESSAGE_LENGTH = 1024 * 1024
/** Largest batch accepted: each entry runs concurrently, so this bounds the work one message can start. */
export const MAX_BATCH_LENGTH = 100
/** Largest answer to one batch, in UTF-8; replies past it become BATCH_TOO_LARGE errors. */
export const MAX_BATCH_REPLY_BYTES = 2 * MAX_RESULT_BYTES

const PARSE_ERROR = -32700
const INVALID_REQUEST = -32600
const METHOD_NOT_FOUND = -32601
const INVALID_PARAMS = -32602
const INTERNAL_ERROR = -32603
/** JSON-RPC's server-error range, for every BitChatError that is not about the request's shape. */
const APPLICATION_ERROR = -32000

type Id = string | number | null

export interface JsonRpcConnection {
  /** Handles one incoming message (a request, a notification or a batch); resolves once any reply is sent. */
  receive (text: string): Promise<void>
  /** Stops forwarding events and drops replies still in flight. */
  close (): void
}

/** `send` learns what each message is, so a carrier under backpressure knows what it may drop. */
export function serveJsonRpc (service: BitChatService, send: (text: string, what: Outgoing) => void, log: Logger = silentLogger): JsonRpcConnection {
  let closed = false

  const emit = (text: string, what: Outgoing): void => {
    if (closed) return
    try {
      send(text, what)
    } catch (err) {
      log.warn('could not send a JSON-RPC message', { error: errorMessage(err) })
    }
  }

  const unsubscribe = service.onEvent((event, payload) => {
    const text = stringify({ jsonrpc: '2.0', method: event, params: payload })
    if (text === undefined) log.error('event payload is not serializable', { event })
    else emit(text, { kind: 'notification', coalesceKey: snapshotKey(event, payload) })
  })

  const handleRequest = async (message: unknown): Promise<Reply | undefined> => {
    const refuse = (id: Id, why: string): Reply => ({ id, text: invalidRequest(id, why) })
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      return refuse(null, 'a request must be a JSON object')
    }
    const request = message as Record<string, unknown>
    const isCall = Object.hasOwn(request, 'id')
    const id = request.id
    if (isCall && !isValidId(id)) return refuse(null, 'id must be a string, a finite number or null')
    const replyId: Id = isCall ? id as Id : null
    if (request.jsonrpc !== '2.0') return refuse(replyId, 'jsonrpc must be "2.0"')
    if (typeof request.method !== 'string') return refuse(replyId, 'method must be a string')
    if (request.params !== undefined && (typeof request.params !== 'object' || request.params === null)) {
      return refuse(replyId, 'params must be an object when present')
    }
    try {
      const result = await dispatch(service, request.method, request.params)
      if (!isCall) return undefined
      const text = stringify({ jsonrpc: '2.0', id: replyId, result: result ?? null })
      if (text === undefined) throw new Error(`result of ${request.method} is not serializable`)
      if (Buffer.byteLength(text) > MAX_RESULT_BYTES) {
        throw BitChatError.resultTooLarge(`the result of ${request.method}`, MAX_RESULT_BYTES, 'ask for less')
      }
      return { id: replyId, text }
    } catch (err) {
      const error = toPublicError(err, log, { method: request.method })
      return isCall ? { id: replyId, text: errorText(replyId, rpcCodeOf(error.code), error) } : undefined
    }
  }

  const handleMessage = async (text: string): Promise<string | undefined> => {
    if (text.length > MAX_MESSAGE_LENGTH) return invalidRequest(null, `a message must be at most ${MAX_MESSAGE_LENGTH} characters`)
    let message: unknown
    try {
      message = JSON.parse(text)
    } catch {
      return errorText(null, PARSE_ERROR, { code: 'INVALID_REQUEST', message: 'parse error: the message is not valid JSON' })
    }
    if (!Array.isArray(message)) return (await handleRequest(message))?.text
    if (message.length === 0) return invalidRequest(null, 'a batch must not be empty')
    if (message.length > MAX_BATCH_LENGTH) return invalidRequest(null, `a batch must hold at most ${MAX_BATCH_LENGTH} requests`)
    const replies = (await Promise.all(message.map(handleRequest))).filter(r => r !== undefined)
    return replies.length === 0 ? undefined : `[${withinBatchBudget(replies).join(',')}]`
  }

  return {
    async receive (text) {
      if (closed) return
      const reply = await handleMessage(text)
      if (reply !== undefined) emit(reply, { kind: 'reply' })
    },
    close () {
      if (closed) return
      closed = true
      unsubscribe()
    }
  }
}

interface Reply { id: Id; text: string }

/** The replies in order while they fit in MAX_BATCH_REPLY_BYTES together; each one past it is a BATCH_TOO_LARGE error instead. */
function withinBatchBudget (replies: Reply[]): string[] {
  let bytes = 0
  return replies.map(reply => {
    const size = Buffer.byteLength(reply.text) + 1
    if (bytes + size <= MAX_BATCH_REPLY_BYTES) {
      bytes += size
      return reply.text
    }
    return errorText(reply.id, APPLICATION_ERROR, {
      code: 'BATCH_TOO_LARGE',
      message: `the replies to this batch would be larger than ${formatMiB(MAX_BATCH_REPLY_BYTES)} together: send fewer requests at once`
    })
  })
}

/** Events that are a snapshot of one thing: a newer one makes a waiting one useless. */
function snapshotKey<E extends EventName> (event: E, payload: BitChatEvents[E]): string | null {
  if (event === 'identity.updated') return event
  if (event === 'channel.updated') return `${event}:${(payload as BitChatEvents['channel.updated']).channelId}`
  return null
}

/** The reply to a message a transport refused before parsing it (an overlong line, a binary frame). */
export function invalidRequestText (message: string): string {
  return invalidRequest(null, message)
}

function invalidRequest (id: Id, message: string): string {
  return errorText(id, INVALID_REQUEST, { code: 'INVALID_REQUEST', message: `invalid request: ${message}` })
}

function errorText (id: Id, code: number, error: ApiError): string {
  return JSON.stringify({ jsonrpc: '2.0', id, error: { code, message: error.message, data: { code: error.code } } })
}

function rpcCodeOf (code: ErrorCode): number {
  switch (code) {
    case 'UNKNOWN_METHOD': return METHOD_NOT_FOUND
    case 'INVALID_PARAMS': return INVALID_PARAMS
    case 'INTERNAL': return INTERNAL_ERROR
    default: return APPLICATION_ERROR
  }
}

function isValidId (id: unknown): boolean {
  return id === null || typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id))
}

function stringify (value: unknown): string | undefined {
  try {
    return JSON.stringify(value)
  } catch {
    return undefined
  }
}
