export type NoiseErrorCode =
  | 'DECRYPT_FAILED'
  | 'BAD_MESSAGE'
  | 'BAD_KEY'
  | 'WRONG_STATE'
  | 'NO_PSK_MATCH'
  | 'NONCE_EXHAUSTED'

/** Any failure of the Noise layer; after one, the handshake or cipher that threw must be abandoned. */
export class NoiseError extends Error {
  readonly code: NoiseErrorCode

  constructor (code: NoiseErrorCode, message: string) {
    super(message)
    this.name = 'NoiseError'
    this.code = code
  }
}
