// The creator's signature over a channel's genesis (PROTOCOL §1.3): the name, mode, creation time,
// creator and first member list, bound to this channel by its id. Anyone holding a link holds the
// secret, so only a signature by the creator's key tells a newcomer that those fields are the ones
// the creator made: a member cannot hand on the link under another name or another member list.
// Trackers are left out on purpose: they say where to look, not what the channel is.
import { encode, type BDict } from '../codec/bencode.ts'
import { concatBytes } from '../codec/bytes.ts'
import { fromHex } from '../codec/hex.ts'
import { utf8Encode } from '../codec/utf8.ts'
import { signDetached, verifyDetached, SIGNATURE_BYTES, type Identity } from '../identity/identity.ts'
import { channelIdOf } from './keys.ts'
import type { ChannelDescriptor } from './descriptor.ts'

const DOMAIN = utf8Encode('bitchat v3 channel-genesis')

/** What the creator signs: `DOMAIN ‖ bencode({channel, created, creator, members (invite only), mode, name})`. */
export function genesisMessage (d: ChannelDescriptor): Uint8Array {
  const fields: BDict = {
    channel: fromHex(channelIdOf(d.secret)),
    created: d.created,
    creator: d.creator,
    mode: utf8Encode(d.mode),
    name: utf8Encode(d.name)
  }
  if (d.mode === 'invite') fields.members = d.members
  return concatBytes([DOMAIN, encode(fields)])
}

/** `d` signed by its creator; RangeError when `creator` is not the descriptor's creator. */
export function signGenesis (d: ChannelDescriptor, creator: Identity): ChannelDescriptor {
  if (Buffer.compare(creator.publicKey, d.creator) !== 0) throw new RangeError('only a channel\'s creator can sign it')
  return { ...d, signature: signDetached(creator, genesisMessage(d)) }
}

/** Whether `signature` is the creator's over `d`'s genesis: false for any edited field or another signer. */
export function hasValidGenesisSignature (d: ChannelDescriptor, signature: Uint8Array): boolean {
  return signature.length === SIGNATURE_BYTES && verifyDetached(d.creator, genesisMessage(d), signature)
}
