// The conversation open last, kept in this window's storage per identity, so the next start (a
// reload of the web UI, a restart of the desktop app) opens it again.
import type { Hex } from '../../../core/api/contract.ts'

const keyFor = (identity: Hex): string => `bitchat.lastConversation.${identity}`

/** The conversation open last under this identity; null when none was kept or storage is refused. */
export function readLastConversation (identity: Hex): Hex | null {
  try {
    const value = localStorage.getItem(keyFor(identity))
    return value !== null && /^[0-9a-f]{64}$/.test(value) ? value : null
  } catch {
    return null
  }
}

export function writeLastConversation (identity: Hex, channelId: Hex): void {
  try {
    localStorage.setItem(keyFor(identity), channelId)
  } catch {
    // Storage refused (a private window): the next start opens the first conversation instead.
  }
}
