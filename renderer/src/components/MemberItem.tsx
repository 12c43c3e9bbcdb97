import type { PeerInfo, Transport } from '../../../core/api/contract.ts'
import { Avatar } from './Avatar.tsx'
import { Icon } from './Icon.tsx'
import { SourceBadges } from './SourceBadges.tsx'

const TRANSPORT_LABEL: Record<Transport, string> = { tcp: 'TCP', udp: 'UDP', relay: 'Relay' }
const TRANSPORT_HINT: Record<Transport, string> = {
  tcp: 'Direct TCP connection',
  udp: 'Direct UDP connection',
  relay: 'Relayed through another peer'
}

const DIRECTION_LABEL: Record<PeerInfo['direction'], string> = { outgoing: 'Outgoing', incoming: 'Incoming' }
const DIRECTION_HINT: Record<PeerInfo['direction'], string> = {
  outgoing: 'You dialled this peer',
  incoming: 'This peer dialled you: you are reachable'
}

function rttClass (rttMs: number | null): string {
  if (rttMs === null) return ''
  if (rttMs < 100) return ' rtt--good'
  if (rttMs < 300) return ' rtt--fair'
  return ' rtt--poor'
}

export function MemberItem ({ peer }: { peer: PeerInfo }) {
  const rtt = peer.rttMs === null ? '—' : `${Math.round(peer.rttMs)} ms`
  return (
    <li className="member" data-testid="member">
      <Avatar name={peer.name} publicKey={peer.publicKey} />
      <div className="member__info">
        <span className="member__name" dir="auto">{peer.name}</span>
        {peer.flagged === true && (
          <span className="tag tag--flagged member__flag" title="This person signed two different messages as the same message in this channel. They may be showing different people different versions of the conversation.">
            Sent conflicting messages
          </span>
        )}
        <span className="member__fingerprint" title={`Fingerprint ${peer.fingerprint}`}>
          <span className="visually-hidden">Fingerprint </span>{peer.fingerprint}
        </span>
        <span className="member__link">
          <span className={`tag tag--${peer.transport}`} title={`${TRANSPORT_HINT[peer.transport]} (${peer.address})`}>
            {TRANSPORT_LABEL[peer.transport]}
          </span>
          <span className={`rtt${rttClass(peer.rttMs)}`} title="Round-trip time">
            <span className="visually-hidden">Round-trip time </span>{rtt}
          </span>
          <span className={`direction direction--${peer.direction}`} title={DIRECTION_HINT[peer.direction]} data-testid="member-direction">
            <Icon name={peer.direction} size={12} />{DIRECTION_LABEL[peer.direction]}
          </span>
        </span>
        <span className="member__sources" data-testid="member-sources">
          <span className="visually-hidden">Found via </span>
          <SourceBadges sources={peer.sources} />
        </span>
      </div>
    </li>
  )
}
