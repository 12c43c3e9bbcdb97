import type { ErrorCode } from '../../../core/api/contract.ts'

/** The core's stable codes, plus the one the renderer adds when the link to the core drops mid-call. */
export type ClientErrorCode = ErrorCode | 'DISCONNECTED'

/** What a failed call rejects with: `code` is stable and meant for branching, `message` for people. */
export class ApiCallError extends Error {
  readonly code: ClientErrorCode

  constructor (code: ClientErrorCode, message: string) {
    super(message)
    this.name = 'ApiCallError'
    this.code = code
  }
}

const KNOWN_CODES: ReadonlySet<string> = new Set<ClientErrorCode>([
  'INVALID_PARAMS', 'UNKNOWN_METHOD', 'IDENTITY_MISSING', 'IDENTITY_EXISTS', 'IDENTITY_LOCKED',
  'WRONG_PASSPHRASE', 'CHANNEL_NOT_FOUND', 'INVALID_CHAT_FILE', 'INVALID_URI', 'FILE_ERROR',
  'MESSAGE_TOO_LARGE', 'NOT_A_MEMBER', 'PORT_IN_USE', 'INTERNAL', 'RESULT_TOO_LARGE', 'BATCH_TOO_LARGE', 'DISK_FULL',
  'CONTACT_NOT_FOUND', 'TOO_MANY_CONTACTS', 'DISCONNECTED'
])

/** Unknown codes from a newer core collapse to INTERNAL so callers can switch exhaustively. */
export function toClientErrorCode (value: unknown): ClientErrorCode {
  return typeof value === 'string' && KNOWN_CODES.has(value) ? value as ClientErrorCode : 'INTERNAL'
}

export function errorCodeOf (err: unknown): ClientErrorCode {
  return err instanceof ApiCallError ? err.code : 'INTERNAL'
}

export function errorMessageOf (err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
