import { useEffect, useId, useRef, useState } from 'react'
import type { ContactInfo } from '../../../core/api/contract.ts'
import { useClient } from '../app/client-context.ts'
import { updateContact } from '../app/contacts.ts'
import { contactProblem } from '../lib/contact-problem.ts'
import type { Problem } from '../lib/join-problem.ts'
import { contactLabel } from '../lib/people.ts'
import { safetyCodeGroups, spokenDigits } from '../lib/safety-code.ts'
import { ErrorDetails } from './ErrorDetails.tsx'
import { Icon } from './Icon.tsx'
import { QrCode } from './QrCode.tsx'

/**
 * The safety code of you and a contact: 60 digits both apps show alike, to compare out of band
 * (read aloud on a call, side by side in person, or the QR image scanned) before marking them verified.
 */
export function SafetyCodeView ({ contact, onBack }: { contact: ContactInfo; onBack: () => void }) {
  const client = useClient()
  const name = contactLabel(contact)
  const [code, setCode] = useState<string | null>(null)
  const [problem, setProblem] = useState<Problem | null>(null)
  const [busy, setBusy] = useState(false)
  const region = useRef<HTMLElement>(null)
  const titleId = useId()

  useEffect(() => {
    let live = true
    client.call('contacts.safetyCode', { publicKey: contact.publicKey }).then(
      result => { if (live) setCode(result.code) },
      (err: unknown) => { if (live) setProblem(contactProblem(err)) }
    )
    return () => { live = false }
  }, [client, contact.publicKey])

  useEffect(() => { region.current?.focus() }, [])

  const mark = async (verified: boolean): Promise<void> => {
    if (busy) return
    setBusy(true)
    setProblem(null)
    try {
      await updateContact(client, { publicKey: contact.publicKey, verified })
    } catch (err) {
      setProblem(contactProblem(err))
    } finally {
      setBusy(false)
    }
  }

  const groups = code === null ? [] : safetyCodeGroups(code)
  return (
    <section ref={region} className="safety" aria-labelledby={titleId} tabIndex={-1}>
      <p className="safety__lead" id={titleId}>
        Compare these numbers with <bdi>{name}</bdi> in person or on a call. If they match, mark as verified.
      </p>
      {problem === null && code === null && <p className="muted" role="status">Working out the safety code…</p>}
      {code !== null && (
        <div className="safety__code-row">
          <ol className="safety-code" aria-label={`Safety code with ${name}`} data-testid="safety-code">
            {groups.map((group, i) => (
              <li key={i} className="safety-code__group">
                <span aria-hidden="true">{group}</span><span className="visually-hidden">{spokenDigits(group)}</span>
              </li>
            ))}
          </ol>
          <figure className="safety__qr">
            <QrCode text={groups.join('')} label={`QR code of your safety code with ${name}`} size={144} />
            <figcaption className="field__hint">The same code as an image, for scanning in person. No camera? Compare the numbers.</figcaption>
          </figure>
        </div>
      )}
      <p className="field__hint">Their app shows the same numbers. If even one group differs, someone may be in the middle: do not mark them verified.</p>
      <p className={`safety__status${contact.verified ? ' safety__status--verified' : ''}`} role="status">
        {contact.verified
          ? <><Icon name="verified" size={18} /> <bdi>{name}</bdi> is verified.</>
          : <>Not verified yet.</>}
      </p>
      {problem !== null && <p className="form-error" role="alert">{problem.text}</p>}
      {problem?.detail !== undefined && <ErrorDetails detail={problem.detail} />}
      <div className="form__actions">
        <button type="button" className="button" onClick={onBack}>Back</button>
        {contact.verified
          ? <button type="button" className="button" aria-disabled={busy || undefined} onClick={() => { void mark(false) }}>Clear verification</button>
          : <button type="button" className="button button--primary" aria-disabled={busy || code === null || undefined} onClick={() => { if (code !== null) void mark(true) }}>Mark as verified</button>}
      </div>
    </section>
  )
}
