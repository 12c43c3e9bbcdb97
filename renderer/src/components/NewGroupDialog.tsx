import { useState, type FormEvent } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { Hex } from '../../../core/api/contract.ts'
import { useClient } from '../app/client-context.ts'
import { createGroup } from '../app/invitations.ts'
import { errorMessageOf } from '../client/api-call-error.ts'
import { inviteProblem } from '../lib/invite-problem.ts'
import { MAX_INVITEES } from '../lib/limits.ts'
import { validateName } from '../lib/validation.ts'
import { sortContacts } from '../store/contacts.ts'
import { actions, useAppStore } from '../store/store.ts'
import { ErrorDetails } from './ErrorDetails.tsx'
import { Field } from './Field.tsx'
import { Modal } from './Modal.tsx'
import { PeoplePicker } from './PeoplePicker.tsx'

/** An invite-only channel for people picked from the address book; each gets an invitation to accept. */
export function NewGroupDialog () {
  const client = useClient()
  const people = useAppStore(useShallow(s => sortContacts(s.contacts).filter(c => !c.blocked)))
  const [name, setName] = useState('')
  const [selected, setSelected] = useState<ReadonlySet<Hex>>(new Set())
  const [errors, setErrors] = useState<{ name?: string; people?: string }>({})
  const [failure, setFailure] = useState<{ text: string; detail: string } | null>(null)
  const [busy, setBusy] = useState(false)
  const close = (): void => { actions().dialogClosed() }

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault()
    if (busy) return
    const found = {
      name: validateName(name, 'Group name'),
      people: selected.size === 0 ? 'Choose at least one person.' : selected.size > MAX_INVITEES ? `At most ${MAX_INVITEES} people at once.` : undefined
    }
    setErrors(found)
    setFailure(null)
    if (found.name !== undefined) { event.currentTarget.querySelector<HTMLElement>('[name="name"]')?.focus(); return }
    if (found.people !== undefined) { event.currentTarget.querySelector<HTMLElement>('.people-picker__search')?.focus(); return }
    setBusy(true)
    try {
      const channelId = await createGroup(client, name.trim(), [...selected])
      actions().dialogClosed()
      actions().noticePosted('info', `Made #${actions().channels.get(channelId)?.name ?? name.trim()} and invited ${selected.size === 1 ? 'one person' : `${selected.size} people`}`)
    } catch (err) {
      setFailure({ text: inviteProblem(err), detail: errorMessageOf(err) })
      setBusy(false)
    }
  }

  return (
    <Modal title="New group" description="An invite-only channel for the people you choose. Each gets an invitation in your private conversation with them, and joins when they accept." onClose={close}>
      <form className="form" onSubmit={e => { void submit(e) }} noValidate>
        <Field label="Group name" error={errors.name}>
          {props => <input {...props} name="name" type="text" dir="auto" placeholder="e.g. trip"
            value={name} onChange={e => { setName(e.target.value) }} data-autofocus />}
        </Field>
        <PeoplePicker people={people} selected={selected} onChange={setSelected} error={errors.people} />
        {failure !== null && <p className="form-error" role="alert">{failure.text} <ErrorDetails detail={failure.detail} /></p>}
        <div className="form__actions">
          <button type="button" className="button" onClick={close}>Cancel</button>
          <button type="submit" className="button button--primary" aria-disabled={busy || undefined}>{busy ? 'Creating…' : 'Create group'}</button>
        </div>
      </form>
    </Modal>
  )
}
