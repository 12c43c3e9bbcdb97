import { pskOf } from '../../core/channel/keys.ts'
import { parseChannelUri } from '../../core/channel/uri.ts'

/** The pre-shared key of the channel a `bitchat:` link names: what a hand-built peer dials with. */
export function channelPsk (uri: string): Uint8Array {
  return pskOf(parseChannelUri(uri).secret)
}
