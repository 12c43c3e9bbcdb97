// Bounds of the address book, shared by the core's checks and the app's forms. Pure: no imports.

/** Contacts one address book may hold. */
export const MAX_CONTACTS = 10_000
/** Characters of the notes kept on a contact. */
export const MAX_CONTACT_NOTES_CHARS = 2_000
