import type { ChannelMode } from '../../../core/api/contract.ts'
import { Icon } from './Icon.tsx'

/** A lock for invite-only channels, a hash for open ones. */
export function ChannelModeIcon ({ mode, size }: { mode: ChannelMode; size: number }) {
  return <Icon name={mode === 'invite' ? 'lock' : 'hash'} size={size} />
}

/** Green while at least one peer is connected; decorative, as the peer count is spelled out beside it. */
export function PresenceDot ({ online }: { online: boolean }) {
  return <span className={`presence${online ? ' presence--online' : ''}`} aria-hidden="true" />
}
