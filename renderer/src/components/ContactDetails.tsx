import { useId, useState, type FormEvent } from 'react'
import type { ContactInfo } from '../../../core/api/contract.ts'
import { MAX_CONTACT_NOTES_CHARS as MAX_CONTACT_NOTES } from '../../../core/contacts/contact-limits.ts'
import { useClient } from '../app/client-context.ts'
import { removeContact, updateContact } from '../app/contacts.ts'
import { messagePerson } from '../app/commands.ts'
import { contactProblem } from '../lib/contact-problem.ts'
import type { Problem } from '../lib/join-problem.ts'
import { contactLabel } from '../lib/people.ts'
import { validateName } from '../lib/validation.ts'
import { actions } from '../store/store.ts'
import { Avatar } from './Avatar.tsx'
import { CopyKeyButton } from './CopyKeyButton.tsx'
import { ErrorDetails } from './ErrorDetails.tsx'
import { Field } from './Field.tsx'
import { Icon } from './Icon.tsx'
import { VerifiedBadge } from './PersonBadges.tsx'

type Confirming = 'block' | 'remove' | null

/** What you know of a contact and may change: your name for them, notes, verification, blocking, removal. */
export function ContactDetails ({ contact, onVerify }: { contact: ContactInfo; onVerify: () => void }) {
  const client = useClient()
  const label = contactLabel(contact)
  const [name, setName] = useState(contact.name)
  const [notes, setNotes] = useState(contact.notes)
  const [errors, setErrors] = useState<{ name?: string | undefined; notes?: string | undefined }>({})
  const [saved, setSaved] = useState(false)
  const [problem, setProblem] = useState<Problem | null>(null)
  const [confirming, setConfirming] = useState<Confirming>(null)
  const [busy, setBusy] = useState(false)
  const confirmTitleId = useId()
  const unchanged = name.trim() === contact.name && notes === contact.notes

  const run = async (change: () => Promise<unknown>): Promise<boolean> => {
    if (busy) return false
    setBusy(true)
    setProblem(null)
    try {
      await change()
      return true
    } catch (err) {
      setProblem(contactProblem(err))
      return false
    } finally {
      setBusy(false)
    }
  }

  const save = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault()
    if (unchanged) return
    const trimmed = name.trim()
    const found = {
      name: trimmed === '' ? undefined : validateName(trimmed, 'Name'),
      notes: notes.length > MAX_CONTACT_NOTES ? `Notes must be at most ${MAX_CONTACT_NOTES.toLocaleString('en')} characters` : undefined
    }
    setErrors(found)
    if (found.name !== undefined || found.notes !== undefined) return
    setSaved(await run(() => updateContact(client, { publicKey: contact.publicKey, name: trimmed, notes })))
  }

  const setBlocked = async (blocked: boolean): Promise<void> => {
    setConfirming(null)
    if (await run(() => updateContact(client, { publicKey: contact.publicKey, blocked }))) {
      actions().noticePosted('info', blocked ? `Blocked ${label}` : `Unblocked ${label}`)
    }
  }

  const message = async (): Promise<void> => {
    if (await run(() => messagePerson(client, contact.publicKey))) actions().dialogClosed()
  }

  const remove = async (): Promise<void> => {
    if (await run(() => removeContact(client, contact.publicKey))) actions().noticePosted('info', `Removed ${label} from your contacts`)
  }

  return (
    <div className="form">
      <div className="contact-card">
        <Avatar name={label} publicKey={contact.publicKey} size="lg" />
        <dl className="contact-card__facts">
          <dt>Their name</dt>
          <dd>{contact.theirName === null ? <span className="muted">Not seen yet</span> : <bdi dir="auto">{contact.theirName}</bdi>}</dd>
          <dt>Fingerprint</dt>
          <dd className="mono contact-card__fingerprint" data-testid="contact-fingerprint">{contact.fingerprint}</dd>
          <dt>Public key</dt>
          <dd className="contact-card__key">
            <span className="mono truncate" title={contact.publicKey}>{contact.publicKey}</span>
            <CopyKeyButton publicKey={contact.publicKey} label="Copy their public key" />
          </dd>
          <dt>Status</dt>
          <dd className="contact-card__status" data-testid="contact-status">
            {contact.verified ? <><VerifiedBadge /> Verified</> : 'Not verified'}
            {contact.blocked && <span className="tag tag--blocked">Blocked</span>}
          </dd>
        </dl>
      </div>

      <form className="form" onSubmit={e => { void save(e) }} noValidate>
        <Field label="Your name for them" error={errors.name} hint="Only you see it. Leave it empty to show the name they chose.">
          {props => <input {...props} type="text" dir="auto" autoComplete="off" value={name}
            onChange={e => { setName(e.target.value); setSaved(false) }} />}
        </Field>
        <Field label="Notes" error={errors.notes} hint={`${notes.length.toLocaleString('en')} / ${MAX_CONTACT_NOTES.toLocaleString('en')} characters. Only you see them.`}>
          {props => <textarea {...props} rows={3} dir="auto" value={notes} onChange={e => { setNotes(e.target.value); setSaved(false) }} />}
        </Field>
        <div className="form__actions form__actions--start">
          {/* Not `disabled`: the button is focused when the save makes the form unchanged, and a disabled one would drop the focus. */}
          <button type="submit" className="button" aria-disabled={unchanged || busy || undefined}>Save changes</button>
          <span className="field__hint contact-saved" role="status">{saved && unchanged ? 'Saved.' : ''}</span>
        </div>
      </form>

      {problem !== null && <p className="form-error" role="alert">{problem.text}</p>}
      {problem?.detail !== undefined && <ErrorDetails detail={problem.detail} />}

      <div className="contact-actions">
        {!contact.blocked && (
          <button type="button" className="button button--primary" aria-disabled={busy || undefined} onClick={() => { void message() }}>
            <Icon name="chat" size={18} /> Message
          </button>
        )}
        <button type="button" className="button" onClick={onVerify} data-testid="verify-button">
          <Icon name="verified" size={18} /> {contact.verified ? 'Safety code…' : 'Verify…'}
        </button>
        {contact.blocked
          ? <button type="button" className="button" aria-disabled={busy || undefined} onClick={() => { void setBlocked(false) }}>Unblock</button>
          : <button type="button" className="button button--danger-quiet" aria-expanded={confirming === 'block'} onClick={() => { setConfirming('block') }}><Icon name="ban" size={18} /> Block…</button>}
        <button type="button" className="button button--danger-quiet" aria-expanded={confirming === 'remove'} onClick={() => { setConfirming('remove') }}>Remove…</button>
      </div>

      {confirming !== null && (
        <div className="confirm-box" role="group" aria-labelledby={confirmTitleId}>
          <p className="confirm-box__title" id={confirmTitleId}>{confirming === 'block' ? <>Block <bdi>{label}</bdi>?</> : <>Remove <bdi>{label}</bdi> from your contacts?</>}</p>
          <p className="confirm-box__text">
            {confirming === 'block'
              ? 'BitChat will refuse their connections, and their messages will no longer be stored or shown, in every channel. You can unblock them later.'
              : 'Your name for them, your notes and the verification are deleted. You can add them again later, and would need to verify them again.'}
          </p>
          <div className="form__actions form__actions--start">
            <button type="button" className="button" onClick={() => { setConfirming(null) }} autoFocus>Cancel</button>
            <button type="button" className="button button--danger" aria-disabled={busy || undefined}
              onClick={() => { void (confirming === 'block' ? setBlocked(true) : remove()) }}>
              {confirming === 'block' ? 'Block' : 'Remove contact'}
            </button>
          </div>
        </div>
      )}
    </div>
  )
}
