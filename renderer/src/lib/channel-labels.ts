// How a channel's mode and peer count read wherever a channel is shown.
import type { ChannelMode } from '../../../core/api/contract.ts'
import { plural } from './plural.ts'

/** "3 peers connected", or `none` while nobody is. */
export function peerCountLabel (count: number, none: string): string {
  return count === 0 ? none : `${plural(count, 'peer', 'peers')} connected`
}

export function modeLabel (mode: ChannelMode): string {
  return mode === 'invite' ? 'Invite-only' : 'Open'
}
