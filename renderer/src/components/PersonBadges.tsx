import type { PersonLabel } from '../lib/people.ts'
import { Icon } from './Icon.tsx'

const VERIFIED_HINT = 'Verified: you compared safety codes with them'

export function VerifiedBadge ({ size = 14 }: { size?: number }) {
  return (
    <span className="verified-badge" title={VERIFIED_HINT} data-testid="verified-badge">
      <Icon name="verified" size={size} /><span className="visually-hidden"> (verified)</span>
    </span>
  )
}

/** A name that may mislead: the icon shows it, the words are in its tooltip and read out with the name. */
export function NameWarning ({ text, imitation = false }: { text: string; imitation?: boolean }) {
  return (
    <span className={`name-warning${imitation ? ' name-warning--imitation' : ''}`} title={text} data-testid="name-warning">
      <Icon name="alert" size={14} /><span className="visually-hidden"> (warning: {text})</span>
    </span>
  )
}

/**
 * A person's name as you know them: your name for a contact, with the name they chose beside it
 * when it differs, the verified badge, a blocked mark, and a warning when their name may mislead.
 */
export function PersonName ({ label }: { label: PersonLabel }) {
  return (
    <span className="person-name">
      <bdi className="person-name__name" dir="auto">{label.name}</bdi>
      {label.theirName !== null && (
        <span className="person-name__theirs" title="The name they chose">
          <span className="visually-hidden">, who calls themselves </span><bdi dir="auto">{label.theirName}</bdi>
        </span>
      )}
      {label.verified && <VerifiedBadge />}
      {label.blocked && <span className="tag tag--blocked">Blocked</span>}
      {label.warning !== null && <NameWarning text={label.warning} imitation={label.imitation} />}
    </span>
  )
}
