// Whom we may dial directly ('Hide my IP address', PROTOCOL §3.7): a direct dial shows our address to
// whoever answers it, so while the option is on only a contact's key may be at the other end; anyone
// else is reached through a relay, and an address whose owner is not known is not dialled at all.

/**
 * Whether a direct dial may go to `keyHex`, the key expected at the other end (null: nobody knows
 * whose address it is). `trusted` says whether a key is a contact the user has not blocked. `hearsay`:
 * only another member said that key is there (PEX), which anyone in the channel could say of their own
 * address to learn ours: not dialled either, only where a handshake found the contact or it told us.
 */
export function directDialAllowed (relayOnly: boolean, keyHex: string | null, trusted: (keyHex: string) => boolean, hearsay = false): boolean {
  if (!relayOnly) return true
  return keyHex !== null && !hearsay && trusted(keyHex)
}
