// The channel two people talk in privately (PROTOCOL §1.7): derived from their two keys alone, so
// either can start it without sending the other anything, both end up in the same channel, and its
// rendezvous (infohash) and PSK come from their X25519 agreement: someone who knows both public
// keys still cannot tell that the two meet there, nor join them.
import { bytesEqual, concatBytes } from '../codec/bytes.ts'
import { utf8Encode } from '../codec/utf8.ts'
import { blake2b, ed25519PublicToX25519, ed25519SecretToX25519, memzero, x25519 } from '../crypto/native.ts'
import type { Identity } from '../identity/identity.ts'
import { FORMAT_VERSION, SECRET_BYTES, validateDescriptor, type ChannelDescriptor } from './descriptor.ts'

const LABEL = utf8Encode('bitchat v3 private-channel')
/** Every private channel has this name in its descriptor; the app shows the other person's name instead. */
export const PRIVATE_CHANNEL_NAME = 'Private chat'

/**
 * The descriptor of our private channel with `peer` (an Ed25519 public key), announced to
 * `trackers` (any will do: they are not part of what identifies the channel). Throws RangeError
 * for our own key, or for a key that is not a valid curve point.
 */
export function privateChannelDescriptor (own: Identity, peer: Uint8Array, trackers: readonly string[]): ChannelDescriptor {
  if (bytesEqual(own.publicKey, peer)) throw new RangeError('a private channel needs two different keys')
  const [low, high] = Buffer.compare(own.publicKey, peer) < 0 ? [own.publicKey, peer] : [peer, own.publicKey]
  const ownX = ed25519SecretToX25519(own.secretKey)
  let shared: Uint8Array
  try {
    shared = x25519(ownX, ed25519PublicToX25519(peer))
  } catch {
    throw new RangeError('that public key is not a valid Ed25519 key')
  } finally {
    memzero(ownX)
  }
  const secret = blake2b(SECRET_BYTES, concatBytes([LABEL, low, high]), shared)
  memzero(shared)
  return validateDescriptor({
    version: FORMAT_VERSION,
    name: PRIVATE_CHANNEL_NAME,
    trackers: [...new Set(trackers)].map(url => [url]),
    secret,
    mode: 'invite',
    created: 0,
    creator: Uint8Array.from(low),
    members: [Uint8Array.from(high)],
    // Both people derive it and neither shares it, so there is no creator's word to carry.
    signature: null
  }, problem => new RangeError(problem))
}
