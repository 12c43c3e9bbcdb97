import type { ErrorCode } from './contract.ts'

/** The one error type the core throws across its API; `code` is stable, `message` is for people. */
export class BitChatError extends Error {
  readonly code: ErrorCode

  constructor (code: ErrorCode, message: string) {
    super(message)
    this.name = 'BitChatError'
    this.code = code
  }

  static invalidParams (message: string): BitChatError { return new BitChatError('INVALID_PARAMS', message) }
  static channelNotFound (channelId: string): BitChatError { return new BitChatError('CHANNEL_NOT_FOUND', `no joined channel ${channelId}`) }
  static identityLocked (): BitChatError { return new BitChatError('IDENTITY_LOCKED', 'the identity is protected by a passphrase: unlock it first') }
  static identityMissing (): BitChatError { return new BitChatError('IDENTITY_MISSING', 'no identity yet: create one first') }
  static invalidChatFile (message: string): BitChatError { return new BitChatError('INVALID_CHAT_FILE', `invalid .chat file: ${message}`) }
  static invalidUri (message: string): BitChatError { return new BitChatError('INVALID_URI', `invalid bitchat: link: ${message}`) }
  static invitationAltered (what: 'file' | 'link'): BitChatError {
    return new BitChatError('INVITATION_ALTERED', `this invitation was altered: the ${what}'s name, members or other details are not the ones its creator signed`)
  }
  static resultTooLarge (what: string, maxBytes: number, advice: string): BitChatError {
    return new BitChatError('RESULT_TOO_LARGE', `${what} would be larger than ${formatMiB(maxBytes)}: ${advice}`)
  }
  static diskFull (): BitChatError {
    return new BitChatError('DISK_FULL', 'the disk is full: nothing new can be saved until some space is freed')
  }
}

export function formatMiB (bytes: number): string {
  return `${Math.round(bytes / 104857.6) / 10} MiB`
}
