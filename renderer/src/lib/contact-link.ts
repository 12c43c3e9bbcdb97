/** Whether text is meant as a contact link (`bitchat:contact?…`); the core checks the rest. */
export function isContactLink (text: string): boolean {
  return text.toLowerCase().startsWith('bitchat:contact')
}

/** A bare public key: the app never adds anyone from one, since nothing in it catches a mistyped or swapped key. */
export function isBareKey (text: string): boolean {
  return /^[0-9a-f]{64}$/i.test(text.trim())
}
