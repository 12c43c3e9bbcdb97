import { CONTACT_FILE_EXTENSION, MAX_CONTACT_FILE_BYTES } from '../../../core/contacts/contact-limits.ts'

export function isContactFileName (name: string): boolean {
  return name.toLowerCase().endsWith(CONTACT_FILE_EXTENSION)
}

/** Reads a picked or dropped contact file into the text `contacts.inspectFile` and `contacts.add` take. */
export async function readContactFile (file: File): Promise<string> {
  if (!isContactFileName(file.name)) throw new Error(`${file.name} is not a contact file: those end in ${CONTACT_FILE_EXTENSION}`)
  if (file.size === 0) throw new Error(`${file.name} is empty`)
  if (file.size > MAX_CONTACT_FILE_BYTES) throw new Error(`${file.name} is too large to be a contact file`)
  return await file.text()
}

/** Your contact file's text as the bytes to save. */
export function contactFileBytes (text: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(text)
}
