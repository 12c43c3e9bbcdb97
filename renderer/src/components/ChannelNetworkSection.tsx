import { useId } from 'react'
import type { ChannelNetwork } from '../../../core/api/contract.ts'
import { plural } from '../lib/plural.ts'
import { AddressTable } from './AddressTable.tsx'
import { Icon } from './Icon.tsx'
import { TrackerTable } from './TrackerTable.tsx'

function summary (channel: ChannelNetwork): string {
  const connected = channel.addresses.filter(a => a.status === 'connected').length
  const known = channel.addresses.filter(a => a.status !== 'self').length
  const answering = channel.trackers.filter(t => t.lastError === null && t.lastAnnounceAt !== null).length
  return `${answering} of ${channel.trackers.length} trackers answering · ${plural(known, 'known address', 'known addresses')} · ${connected} connected`
}

/** One conversation's discovery and addresses; `person` names a private conversation, shown as that person's. */
export function ChannelNetworkSection ({ channel, person, now }: { channel: ChannelNetwork; person?: string | undefined; now: number }) {
  const id = useId()
  return (
    <section className="net-channel" aria-labelledby={`${id}-name`}>
      <header className="net-channel__header">
        <h3 className="net-channel__name" id={`${id}-name`}>
          {person === undefined
            ? <><Icon name="hash" size={16} /><span dir="auto">{channel.name}</span></>
            : <><Icon name="chat" size={16} /><span>Private conversation with <bdi>{person}</bdi></span></>}
        </h3>
        <p className="net-channel__summary">{summary(channel)}</p>
      </header>
      <h4 className="net-section-title">Trackers</h4>
      <TrackerTable trackers={channel.trackers} now={now} />
      <h4 className="net-section-title">Known addresses</h4>
      <AddressTable channelId={channel.channelId} addresses={channel.addresses} />
    </section>
  )
}
