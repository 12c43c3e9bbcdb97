// Bounds of the address book, shared by the core's checks and the app's forms. Pure: no imports.

/** Contacts one address book may hold. */
export const MAX_CONTACTS = 10_000
/** Characters of the notes kept on a contact. */
export const MAX_CONTACT_NOTES_CHARS = 2_000
/** Bytes of a contact file (PROTOCOL §1.5): the largest valid one is under 400. */
export const MAX_CONTACT_FILE_BYTES = 1024
/** How a contact file's name ends. */
export const CONTACT_FILE_EXTENSION = '.bitchat-contact'
