// "Room 2" before "Room 10", and case or accents do not split names people read as the same.
const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true })

/** Orders anything named the way people scan a list of names. */
export function byName (a: { name: string }, b: { name: string }): number {
  return collator.compare(a.name, b.name)
}
