// What a caller outside the process may learn about a failure: a BitChatError's code and
// message as they are, anything else only as INTERNAL, its details (paths, stacks) kept in our log.
import type { ApiError } from '../api/contract.ts'
import { BitChatError } from '../api/errors.ts'
import type { Logger } from '../log.ts'

export function toPublicError (err: unknown, log: Logger, context: Record<string, unknown> = {}): ApiError {
  if (err instanceof BitChatError) return { code: err.code, message: err.message }
  log.error('internal error', { ...context, error: err instanceof Error ? (err.stack ?? err.message) : String(err) })
  return { code: 'INTERNAL', message: 'internal error (details are in the BitChat log)' }
}
