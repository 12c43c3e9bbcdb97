// The check every `.chat` file and `bitchat:` link carries (PROTOCOL §1.3): a MAC keyed by the
// channel secret over every other field. Nothing else derived from the secret covers the name,
// the mode, the creator, the member list, the trackers or the creation time, so without it an
// edited link would join the real channel under a name its members never gave it.
import { encode, type BDict } from '../codec/bencode.ts'
import { utf8Encode } from '../codec/utf8.ts'
import { blake2b, constantTimeEqual } from '../crypto/native.ts'
import type { ChannelDescriptor } from './descriptor.ts'

export const CHECK_BYTES = 16

const LABEL = utf8Encode('bitchat v2 descriptor-check')

/** `BLAKE2b-16(secret, label ‖ bencode(every field but the secret))`; the fields must already be valid. */
export function descriptorCheck (d: ChannelDescriptor): Uint8Array {
  const fields: BDict = {
    'announce-list': d.trackers.map(tier => tier.map(utf8Encode)),
    created: d.created,
    creator: d.creator,
    mode: utf8Encode(d.mode),
    name: utf8Encode(d.name)
  }
  if (d.mode === 'invite') fields.members = d.members
  const encoded = encode(fields)
  const message = new Uint8Array(LABEL.length + encoded.length)
  message.set(LABEL)
  message.set(encoded, LABEL.length)
  return blake2b(CHECK_BYTES, message, d.secret)
}

/** Whether `check` is the one `d`'s secret gives its fields: false for any edited field. */
export function hasValidCheck (d: ChannelDescriptor, check: Uint8Array): boolean {
  return check.length === CHECK_BYTES && constantTimeEqual(descriptorCheck(d), check)
}
