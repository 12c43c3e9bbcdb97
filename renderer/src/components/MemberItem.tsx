import type { MemberInfo, PeerInfo } from '../../../core/api/contract.ts'
import type { PersonLabel } from '../lib/people.ts'
import { peerPath } from '../lib/peer-path.ts'
import { relayName } from '../lib/relay-name.ts'
import { useAppStore } from '../store/store.ts'
import { formatDateTime, formatRelative } from '../lib/time.ts'
import { Avatar } from './Avatar.tsx'
import { Icon } from './Icon.tsx'
import { PersonName } from './PersonBadges.tsx'
import { SourceBadges } from './SourceBadges.tsx'

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

/** Who a member is, whether online or not. */
export type MemberPerson = Pick<MemberInfo, 'publicKey' | 'name' | 'fingerprint'> & Partial<Pick<MemberInfo, 'role'>>

/** When an offline member was last connected (null: never), and the time to say it from. */
export interface LastSeen { at: number | null; now: number }

function lastSeenText ({ at, now }: LastSeen): string {
  if (at === null) return 'never connected'
  // Seconds are noise here ("now" would read as online); a clock a little ahead of ours must not make it "in 1 minute".
  return now - at < 60_000 ? 'last seen just now' : `last seen ${formatRelative(at, now)}`
}

function ConnectionDetails ({ peer }: { peer: PeerInfo }) {
  const relay = useAppStore(s => peer.via === undefined ? 'another member' : relayName(peer.via, s.contacts, s.peers))
  const path = peerPath(peer, relay)
  const rtt = peer.rttMs === null ? '—' : `${Math.round(peer.rttMs)} ms`
  // The summary's tooltip says it for pointer users; the disclosure holds the same words and more for everyone.
  return (
    <details className="member__path" data-testid="member-path">
      <summary title={`${path.meaning}. ${path.transport}, ${peer.address}`}>
        <span className={`member__path-label${path.direct ? '' : ' member__path-label--carried'}`} data-testid="member-path-label">
          <bdi dir="auto">{path.label}</bdi>
        </span>
        <span className={`rtt${rttClass(peer.rttMs)}`} title="Round-trip time">
          <span className="visually-hidden">Round-trip time </span>{rtt}
        </span>
        <span className="member__path-chevron" aria-hidden="true"><Icon name="chevron-down" size={12} /></span>
      </summary>
      <dl className="member__tech">
        <dt>Transport</dt><dd data-testid="member-transport">{path.transport}</dd>
        <dt>{peer.transport === 'relay' ? 'Relay at' : 'Address'}</dt><dd className="mono">{peer.address}</dd>
        <dt>Session</dt>
        <dd>
          <span className={`direction direction--${peer.direction}`} title={DIRECTION_HINT[peer.direction]} data-testid="member-direction">
            <Icon name={peer.direction} size={12} />{DIRECTION_LABEL[peer.direction]}
          </span>
        </dd>
        <dt>Found via</dt>
        <dd className="member__sources" data-testid="member-sources"><SourceBadges sources={peer.sources} /></dd>
      </dl>
    </details>
  )
}

/**
 * A member: named as you know them (`label`). Connected (`peer` given), with how the link to them
 * runs; offline (`seen` given), when they were last connected. Buttons to message them privately,
 * and to add them to your contacts or, once they are one, to open what you know of them.
 */
export function MemberItem ({ person, peer, seen, label, onMessage, onAddContact, onOpenContact }: {
  person: MemberPerson
  peer?: PeerInfo | undefined
  seen?: LastSeen | undefined
  label?: PersonLabel | undefined
  onMessage?: () => void
  onAddContact?: () => void
  onOpenContact?: () => void
}) {
  const chosenName = peer?.name ?? person.name
  const name = label?.name ?? chosenName
  return (
    <li className={`member${seen !== undefined ? ' member--offline' : ''}`} data-testid="member">
      <Avatar name={name} publicKey={person.publicKey} />
      <div className="member__info">
        <span className="member__name">
          {label !== undefined ? <PersonName label={label} /> : <bdi dir="auto">{chosenName}</bdi>}
          {person.role === 'creator' && <span className="tag member__role" title="Created this channel">Creator</span>}
        </span>
        {peer?.flagged === true && (
          <span className="tag tag--flagged member__flag" title="This person signed two different messages as the same message in this channel. They may be showing different people different versions of the conversation.">
            Sent conflicting messages
          </span>
        )}
        <span className="member__fingerprint" title={`Fingerprint ${person.fingerprint}`}>
          <span className="visually-hidden">Fingerprint </span>{person.fingerprint}
        </span>
        {peer !== undefined && <ConnectionDetails peer={peer} />}
        {seen !== undefined && (
          <span className="member__seen" data-testid="member-seen" title={seen.at === null ? undefined : formatDateTime(seen.at)}>
            {lastSeenText(seen)}
          </span>
        )}
      </div>
      <div className="member__actions">
        {label?.blocked !== true && onMessage !== undefined && (
          <button type="button" className="icon-button icon-button--small member__action" aria-label={`Message ${name}`}
            title="Message privately" onClick={onMessage}>
            <Icon name="chat" size={16} />
          </button>
        )}
        {label?.contact === true && onOpenContact !== undefined && (
          <button type="button" className="icon-button icon-button--small member__action" aria-label={`Contact details: ${name}`}
            title="Contact details" onClick={onOpenContact}>
            <Icon name="info" size={16} />
          </button>
        )}
        {label?.contact !== true && onAddContact !== undefined && (
          <button type="button" className="icon-button icon-button--small member__action" aria-label={`Add ${name} to contacts`}
            title="Add to contacts" onClick={onAddContact}>
            <Icon name="user-plus" size={16} />
          </button>
        )}
      </div>
    </li>
  )
}
