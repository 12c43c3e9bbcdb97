/** A safety code as the core writes it ("12345 67890 …") in groups of five digits; any other text stays one group. */
export function safetyCodeGroups (code: string): string[] {
  const digits = code.replace(/\s+/g, '')
  if (!/^\d+$/.test(digits) || digits.length % 5 !== 0) return [code.trim()]
  return digits.match(/\d{5}/g) ?? []
}

/** One group as a screen reader should say it: digit by digit, not as a number in the tens of thousands. */
export function spokenDigits (group: string): string {
  return [...group].join(' ')
}
