import type { ChannelSummary } from '../../../core/api/contract.ts'
import { useClient } from '../app/client-context.ts'
import { setMuted } from '../app/mute.ts'
import { Icon } from './Icon.tsx'

/** The conversation header's mute toggle: pressed while muted. */
export function MuteButton ({ channel }: { channel: ChannelSummary }) {
  const client = useClient()
  const muted = channel.muted === true
  const label = muted ? 'Unmute conversation' : 'Mute conversation'
  return (
    <button type="button" className="icon-button" aria-label={label} title={muted ? 'Unmute (notify for every message again)' : 'Mute (notify only for mentions of you)'}
      aria-pressed={muted} data-testid="mute-toggle" onClick={() => { void setMuted(client, channel.channelId, !muted) }}>
      <Icon name={muted ? 'bell-off' : 'bell'} />
    </button>
  )
}
