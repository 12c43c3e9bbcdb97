import { useEffect, useRef, useState, type ChangeEvent, type FormEvent } from 'react'
import type { ContactInfo, ContactLinkInfo } from '../../../core/api/contract.ts'
import { useClient } from '../app/client-context.ts'
import { addContact } from '../app/contacts.ts'
import { readContactFile } from '../lib/contact-file.ts'
import { isBareKey, isContactLink } from '../lib/contact-link.ts'
import { contactProblem } from '../lib/contact-problem.ts'
import { isInviteLink } from '../lib/invite-link.ts'
import type { Problem } from '../lib/join-problem.ts'
import { MAX_CONTACT_LINK } from '../lib/limits.ts'
import { CONTACT_FILE_EXTENSION } from '../../../core/contacts/contact-limits.ts'
import { normaliseName } from '../lib/name-clash.ts'
import { contactLabel } from '../lib/people.ts'
import { validateName } from '../lib/validation.ts'
import { actions, useAppStore } from '../store/store.ts'
import type { ContactCandidate } from '../store/ui.ts'
import { Avatar } from './Avatar.tsx'
import { ErrorDetails } from './ErrorDetails.tsx'
import { Field } from './Field.tsx'
import { Icon } from './Icon.tsx'
import { Modal } from './Modal.tsx'

/** Whom the dialog is about to add: from a checked link or contact file (its text kept), or a member met in a channel. */
interface Candidate extends ContactCandidate { source: 'link' | 'member' | { file: string } }

/** What is wrong with pasted text before the core is asked, or undefined when it may be a contact link. */
function linkProblem (text: string): Problem | undefined {
  if (isBareKey(text)) return { text: 'A key alone cannot be added: nothing in it shows a typing mistake or a swapped key. Ask for their contact link (Settings → Profile in their app).' }
  if (isInviteLink(text) && !isContactLink(text)) return { text: 'This is an invite to a channel, not a contact link. Use Join in the sidebar to join the channel.' }
  if (!isContactLink(text)) return { text: 'Contact links start with bitchat:contact' }
  if (text.length > MAX_CONTACT_LINK) return { text: 'This link is too long to be a BitChat contact link' }
  return undefined
}

/** A contact, with another key, whose name reads like one of `names`: the newcomer may be posing as them. */
function lookalikeOf (contacts: Iterable<ContactInfo>, publicKey: string, names: readonly string[]): ContactInfo | undefined {
  const wanted = new Set(names.map(normaliseName).filter(n => n !== ''))
  for (const c of contacts) {
    if (c.publicKey !== publicKey && [c.name, c.theirName ?? ''].some(n => wanted.has(normaliseName(n)))) return c
  }
  return undefined
}

/**
 * Adds someone by a pasted contact link or an opened (or dropped) contact file, each checked by the
 * core, then shown with its fingerprint before anything is saved; or a member of a channel. Never by
 * a bare key.
 */
export function AddContactDialog ({ initialLink = '', initialFile, member }: { initialLink?: string; initialFile?: string | undefined; member?: ContactCandidate | undefined }) {
  const client = useClient()
  const ownKey = useAppStore(s => s.identityStatus?.identity?.publicKey)
  const contacts = useAppStore(s => s.contacts)
  const [link, setLink] = useState(initialLink)
  const [candidate, setCandidate] = useState<Candidate | null>(member === undefined ? null : { ...member, source: 'member' })
  const [known, setKnown] = useState(false)
  const [name, setName] = useState(member?.name ?? '')
  const [problem, setProblem] = useState<Problem | undefined>(undefined)
  /** What is wrong with the contact file opened or dropped, shown by its button rather than under the link. */
  const [fileProblem, setFileProblem] = useState<Problem | undefined>(undefined)
  const [nameError, setNameError] = useState<string | undefined>(undefined)
  const [busy, setBusy] = useState(false)
  const form = useRef<HTMLFormElement>(null)
  const fileInput = useRef<HTMLInputElement>(null)
  const close = (): void => { actions().dialogClosed() }

  /** Asks the core what a link or a contact file holds, and shows whom it names. */
  const check = async (source: 'link' | { file: string }, ask: () => Promise<ContactLinkInfo>): Promise<void> => {
    const fail = source === 'link' ? setProblem : setFileProblem
    setBusy(true)
    try {
      const info = await ask()
      if (info.publicKey === ownKey) {
        fail({ text: `This is your own contact ${source === 'link' ? 'link' : 'file'}: send it to others so they can add you.` })
        return
      }
      setKnown(info.known)
      setName(info.name)
      setCandidate({ publicKey: info.publicKey, name: info.name, fingerprint: info.fingerprint, source })
    } catch (err) {
      fail(contactProblem(err))
    } finally {
      setBusy(false)
    }
  }

  const inspect = async (text: string): Promise<void> => {
    const found = linkProblem(text)
    setProblem(found)
    if (found !== undefined || busy) return
    await check('link', async () => await client.call('contacts.inspectLink', { link: text }))
  }

  const inspectFile = async (file: string): Promise<void> => {
    setFileProblem(undefined)
    await check({ file }, async () => await client.call('contacts.inspectFile', { contactFile: file }))
  }

  const onFile = async (event: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const file = event.target.files?.[0]
    event.target.value = ''
    if (file === undefined || busy) return
    let text: string
    try {
      text = await readContactFile(file)
    } catch (err) {
      setFileProblem({ text: (err as Error).message })
      return
    }
    await inspectFile(text)
  }

  // A link pasted or a contact file dropped on the window opens the dialog with it: check it at once.
  const checkedInitial = useRef(false)
  useEffect(() => {
    if (checkedInitial.current) return
    checkedInitial.current = true
    if (initialFile !== undefined) void inspectFile(initialFile)
    else if (initialLink !== '') void inspect(initialLink.trim())
  })

  // The form changes under the keyboard once the link is checked: carry on at the name (or at "Show contact").
  useEffect(() => {
    if (candidate !== null) form.current?.querySelector<HTMLElement>('input, [data-autofocus]')?.focus()
  }, [candidate])

  const add = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault()
    if (candidate === null || busy) return
    const trimmed = name.trim()
    const invalid = trimmed === '' ? undefined : validateName(trimmed, 'Name')
    setNameError(invalid)
    if (invalid !== undefined) return
    setBusy(true)
    setProblem(undefined)
    try {
      const { source } = candidate
      const added = await addContact(client, source === 'link'
        ? { link: link.trim(), name: trimmed }
        : source === 'member' ? { publicKey: candidate.publicKey, name: trimmed } : { contactFile: source.file, name: trimmed })
      close()
      actions().noticePosted('info', `Added ${contactLabel(added)} to your contacts`)
    } catch (err) {
      setProblem(contactProblem(err))
      setBusy(false)
    }
  }

  const showContact = (): void => {
    if (candidate !== null) actions().dialogOpened({ kind: 'contact', publicKey: candidate.publicKey })
  }

  if (candidate === null) {
    return (
      <Modal title="Add a contact" description="Paste the contact link they sent you, or open their contact file. They find both in Settings → Profile." onClose={close}>
        <form className="form" onSubmit={e => { e.preventDefault(); void inspect(link.trim()) }} noValidate>
          <Field label="Contact link" error={problem?.text}>
            {props => <input {...props} type="text" className="mono" placeholder="bitchat:contact?v=1&k=…" spellCheck={false}
              autoComplete="off" value={link} onChange={e => { setLink(e.target.value) }} data-autofocus />}
          </Field>
          {problem?.detail !== undefined && <ErrorDetails detail={problem.detail} />}
          <div className="form__actions">
            <button type="button" className="button" onClick={close}>Cancel</button>
            <button type="submit" className="button button--primary" disabled={link.trim() === ''} aria-disabled={busy || undefined}>
              {busy ? 'Checking…' : 'Continue'}
            </button>
          </div>
          <div className="divider" role="presentation"><span>or</span></div>
          <div className="file-pick">
            <input ref={fileInput} type="file" accept={CONTACT_FILE_EXTENSION} className="visually-hidden" tabIndex={-1}
              aria-hidden="true" onChange={e => { void onFile(e) }} data-testid="contact-file-input" />
            <button type="button" className="button button--block" aria-disabled={busy || undefined} onClick={() => { if (!busy) fileInput.current?.click() }}>
              <Icon name="file" size={18} /> Open contact file…
            </button>
            <p className="field__hint">You can also drop a contact file ({CONTACT_FILE_EXTENSION}) anywhere on the window.</p>
            {fileProblem !== undefined && <p className="form-error" role="alert">{fileProblem.text}</p>}
            {fileProblem?.detail !== undefined && <ErrorDetails detail={fileProblem.detail} />}
          </div>
        </form>
      </Modal>
    )
  }

  const lookalike = lookalikeOf(contacts.values(), candidate.publicKey, [candidate.name, name])
  return (
    <Modal title="Add a contact" onClose={close}>
      <form ref={form} className="form" onSubmit={e => { void add(e) }} noValidate>
        <div className="contact-card">
          <Avatar name={name.trim() !== '' ? name : candidate.name} publicKey={candidate.publicKey} size="lg" />
          <dl className="contact-card__facts">
            <dt>Fingerprint</dt>
            <dd className="mono contact-card__fingerprint" data-testid="candidate-fingerprint">{candidate.fingerprint}</dd>
            {candidate.source === 'member' && <><dt>Their name</dt><dd><bdi dir="auto">{candidate.name}</bdi></dd></>}
          </dl>
        </div>
        {lookalike !== undefined && !known && (
          <p className="form-warning" data-testid="lookalike-warning">
            <Icon name="alert" size={18} />
            <span>
              You already have a contact called “<bdi>{contactLabel(lookalike)}</bdi>”, with a different key. If this is the same person
              with a new key, check with them by another way (a call, in person) before adding: someone else may be using their name.
            </span>
          </p>
        )}
        {known
          ? (
            <p className="muted" role="status">They are already in your contacts.</p>
          )
          : (
            <Field label="Your name for them" error={nameError}
              hint={candidate.source === 'member'
                ? 'The name they chose for themselves. You can give them your own; leave it empty to follow theirs.'
                : candidate.source === 'link'
                  ? 'Suggested by the link. A name in a link is only a suggestion: anyone can write any name into one. The fingerprint is what identifies them.'
                  : 'Suggested by the file. A name in a file is only a suggestion: anyone can write any name into one. The fingerprint is what identifies them.'}>
              {props => <input {...props} type="text" dir="auto" autoComplete="off" value={name}
                onChange={e => { setName(e.target.value); setNameError(undefined) }} />}
            </Field>
          )}
        {problem !== undefined && <p className="form-error" role="alert">{problem.text}</p>}
        {problem?.detail !== undefined && <ErrorDetails detail={problem.detail} />}
        <div className="form__actions">
          <button type="button" className="button" onClick={close}>Cancel</button>
          {known
            ? <button type="button" className="button button--primary" onClick={showContact} data-autofocus>Show contact</button>
            : <button type="submit" className="button button--primary" aria-disabled={busy || undefined}>{busy ? 'Adding…' : 'Add contact'}</button>}
        </div>
      </form>
    </Modal>
  )
}
