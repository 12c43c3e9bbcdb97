// Mirrors of the core's parameter checks, so forms explain a problem before the core refuses it.
export const MAX_MESSAGE_TEXT = 8192
/** What one message carries in UTF-8: 8,192 characters of most scripts take more. */
export const MAX_MESSAGE_BYTES = 16384
export const MAX_TRACKERS = 64
export const MAX_PASSPHRASE = 1024
export const MAX_USER_AGENT = 128
export const MAX_INVITE_LINK = 3 * 65536
// The core accepts at most 200,000 base64 characters of `.chat` data: 150,000 bytes.
export const MAX_CHAT_FILE_BYTES = 150_000
/** A contact link is a key, a check and a name: the core refuses one over 1,024 characters. */
export const MAX_CONTACT_LINK = 1024
/** channels.invite takes 1 to 100 people at once. */
export const MAX_INVITEES = 100
/** An exported identity is sealed data of at most 8 MiB plus a small header; the core checks the exact bound. */
export const MAX_IDENTITY_FILE_BYTES = 8 * 1024 * 1024 + 1024
