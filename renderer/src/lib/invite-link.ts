/** Whether text is meant as a BitChat invite; the core parses the rest and explains what is wrong. */
export function isInviteLink (text: string): boolean {
  return text.toLowerCase().startsWith('bitchat:')
}
