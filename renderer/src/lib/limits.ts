// Mirrors of the core's parameter checks, so forms explain a problem before the core refuses it.
export const MAX_NAME_LENGTH = 64
export const MAX_MESSAGE_TEXT = 8192
export const MAX_TRACKERS = 64
export const MAX_TRACKER_URL = 512
export const MAX_PASSPHRASE = 1024
export const MAX_USER_AGENT = 128
