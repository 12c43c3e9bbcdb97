import type { MentionCandidate } from '../lib/mentions.ts'
import { Avatar } from './Avatar.tsx'

/**
 * The people an '@' in the composer may name, above the box. The composer keeps the focus and drives
 * it from the keyboard (arrows move, Enter or Tab picks, Escape closes); a click picks too.
 */
export function MentionPicker ({ id, candidates, active, onPick }: { id: string; candidates: readonly MentionCandidate[]; active: number; onPick: (candidate: MentionCandidate) => void }) {
  return (
    <ul className="mention-picker" id={id} role="listbox" aria-label="People to mention">
      {candidates.map((c, i) => (
        <li key={c.publicKey} id={`${id}-${i}`} role="option" aria-selected={i === active} className={`mention-picker__option${i === active ? ' mention-picker__option--active' : ''}`}
          // The press would take the focus from the composer before the click lands.
          onMouseDown={e => { e.preventDefault() }} onClick={() => { onPick(c) }}>
          <Avatar name={c.name} publicKey={c.publicKey} size="xs" />
          <span className="mention-picker__name">{c.name}</span>
          {c.contact && <span className="mention-picker__tag">contact</span>}
        </li>
      ))}
    </ul>
  )
}
