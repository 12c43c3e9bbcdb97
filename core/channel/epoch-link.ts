// The key of an invite-only channel's current epoch in its `bitchat:` link (PROTOCOL §4.10): the link
// names the channel by its genesis (§1.2, under its check), and `e` and `ek` after it give the epoch a
// newcomer needs to reach members who have moved past epoch 0. They are outside the check: whoever can
// change them holds the link, and a wrong key only fails to connect.
import { BitChatError } from '../api/errors.ts'
import { fromHex, isHex, toHex } from '../codec/hex.ts'
import { parseChannelUri } from './uri.ts'
import type { ChannelDescriptor } from './descriptor.ts'

export interface EpochKey { epoch: number; key: Uint8Array }

const EPOCH = /^[1-9][0-9]{0,9}$/
const MAX_EPOCH = 0xffffffff

/** The link with the epoch appended, or as it is at epoch 0. */
export function withEpoch (uri: string, epoch: EpochKey | null): string {
  if (epoch === null || epoch.epoch === 0) return uri
  return `${uri}&e=${epoch.epoch}&ek=${toHex(epoch.key)}`
}

/** A channel link and the epoch it carries, if any; throws INVALID_URI as parseChannelUri does. */
export function parseChannelLink (uri: string): { descriptor: ChannelDescriptor; epoch: EpochKey | null } {
  if (typeof uri !== 'string') return { descriptor: parseChannelUri(uri), epoch: null }
  const match = /&e=([^&]*)&ek=([^&]*)$/.exec(uri)
  if (match === null) return { descriptor: parseChannelUri(uri), epoch: null }
  const [, e = '', ek = ''] = match
  if (!EPOCH.test(e) || Number(e) > MAX_EPOCH) throw BitChatError.invalidUri(`e must be an epoch, 1 to ${MAX_EPOCH}`)
  if (!isHex(ek, 32)) throw BitChatError.invalidUri('ek must be 64 lowercase hex characters')
  const descriptor = parseChannelUri(uri.slice(0, match.index))
  if (descriptor.mode !== 'invite') throw BitChatError.invalidUri('only an invite-only channel has epochs')
  return { descriptor, epoch: { epoch: Number(e), key: fromHex(ek) } }
}
