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

// Spelled out (the window takes only types from the contract) as a record, so the compiler refuses
// a list that misses a code the core can send.
const KNOWN_CODES: Record<ClientErrorCode, true> = {
  INVALID_REQUEST: true, INVALID_PARAMS: true, UNKNOWN_METHOD: true, FORBIDDEN: true, IDENTITY_MISSING: true,
  IDENTITY_EXISTS: true, IDENTITY_LOCKED: true, WRONG_PASSPHRASE: true, CHANNEL_NOT_FOUND: true,
  INVALID_CHAT_FILE: true, INVALID_URI: true, FILE_ERROR: true, DATA_DIR_IN_USE: true,
  MESSAGE_TOO_LARGE: true, NOT_A_MEMBER: true, PORT_IN_USE: true, INTERNAL: true, RESULT_TOO_LARGE: true,
  BATCH_TOO_LARGE: true, DISK_FULL: true, CONTACT_NOT_FOUND: true, MESSAGE_NOT_FOUND: true, INVITATION_NOT_FOUND: true,
  TOO_MANY_CONTACTS: true, INVITATION_ALTERED: true, INVALID_CONTACT_FILE: true, INVALID_MANIFEST: true, FILE_TOO_LARGE: true, CHUNK_REJECTED: true,
  DOWNLOAD_FOLDER_MISSING: true, DOWNLOAD_FOLDER_READ_ONLY: true, DOWNLOAD_PAUSED: true, DOWNLOAD_INCOMPLETE: true,
  DOWNLOAD_CORRUPT: true, NO_FREE_NAME: true, DISCONNECTED: true
}

/** Unknown codes from a newer core collapse to INTERNAL so callers can switch exhaustively. */
export function toClientErrorCode (value: unknown): ClientErrorCode {
  return typeof value === 'string' && Object.hasOwn(KNOWN_CODES, value) ? value as ClientErrorCode : 'INTERNAL'
}

export function errorCodeOf (err: unknown): ClientErrorCode {
  return err instanceof ApiCallError ? err.code : 'INTERNAL'
}

export function errorMessageOf (err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
