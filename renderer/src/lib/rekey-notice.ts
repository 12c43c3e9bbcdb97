// What the window says when an invite-only channel moves to a new key (PROTOCOL §4.10).

/** "Keys of #board were changed: Dave can no longer connect" — `removed` are the names shown for the keys left out. */
export function rekeyNotice (channelName: string, removed: readonly string[]): string {
  const channel = `#${channelName}`
  if (removed.length === 0) return `Keys of ${channel} were changed`
  const who = removed.length === 1 ? removed[0]! : removed.length === 2 ? `${removed[0]!} and ${removed[1]!}` : `${removed[0]!} and ${removed.length - 1} others`
  return `Keys of ${channel} were changed: ${who} can no longer connect`
}
