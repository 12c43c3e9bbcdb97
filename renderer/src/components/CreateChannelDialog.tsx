import { useState, type FormEvent } from 'react'
import { useClient } from '../app/client-context.ts'
import { createChannel } from '../app/commands.ts'
import { errorMessageOf } from '../client/api-call-error.ts'
import { DEFAULT_TRACKERS } from '../lib/default-trackers.ts'
import { type ChannelFormField, type Errors, focusFirstError, hasErrors, validateChannelForm } from '../lib/validation.ts'
import { actions } from '../store/store.ts'
import { Field } from './Field.tsx'
import { Modal } from './Modal.tsx'

export function CreateChannelDialog () {
  const client = useClient()
  const [name, setName] = useState('')
  const [inviteOnly, setInviteOnly] = useState(false)
  const [members, setMembers] = useState('')
  const [trackers, setTrackers] = useState(DEFAULT_TRACKERS.join('\n'))
  const [errors, setErrors] = useState<Errors<ChannelFormField>>({})
  const [failure, setFailure] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const close = (): void => { actions().dialogClosed() }

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault()
    if (busy) return
    const form = event.currentTarget
    const { errors: found, params } = validateChannelForm({ name, trackers, inviteOnly, members })
    setErrors(found)
    setFailure(null)
    if (hasErrors(found)) {
      focusFirstError(form, ['name', 'members', 'trackers'], found)
      return
    }
    setBusy(true)
    try {
      const channelId = await createChannel(client, params)
      actions().dialogOpened({ kind: 'share', channelId })
    } catch (err) {
      setFailure(errorMessageOf(err))
      setBusy(false)
    }
  }

  return (
    <Modal title="New channel" description="A channel is a group chat. Anyone you give its invite link or .chat file can find the others through the trackers below." onClose={close}>
      <form className="form" onSubmit={e => { void submit(e) }} noValidate>
        <p className="form__aside">
          For a few people from your contacts, <button type="button" className="link-button" onClick={() => { actions().dialogOpened({ kind: 'new-group' }) }}>make a group instead</button>: they get an invitation, no link to pass around.
        </p>
        <Field label="Channel name" error={errors.name}>
          {props => <input {...props} name="name" type="text" dir="auto" placeholder="e.g. book-club"
            value={name} onChange={e => { setName(e.target.value) }} data-autofocus />}
        </Field>
        <fieldset className="choice-group">
          <legend className="field__label">Who can join</legend>
          <label className="choice">
            <input type="radio" name="mode" value="open" checked={!inviteOnly} onChange={() => { setInviteOnly(false) }} />
            <span className="choice__text"><strong>Open</strong><span>Anyone with the invite link or file.</span></span>
          </label>
          <label className="choice">
            <input type="radio" name="mode" value="invite" checked={inviteOnly} onChange={() => { setInviteOnly(true) }} />
            <span className="choice__text"><strong>Invite-only</strong><span>Only the people whose public keys you list.</span></span>
          </label>
        </fieldset>
        {inviteOnly && (
          <Field label="Members" hint="Public keys (64 hex characters), one per line. You are always a member." error={errors.members}>
            {props => <textarea {...props} name="members" rows={3} className="mono" spellCheck={false}
              value={members} onChange={e => { setMembers(e.target.value) }} />}
          </Field>
        )}
        <Field label="Trackers" hint="One URL per line (udp://, http(s)://, ws(s)://). Trackers only ever see a hash that changes daily. Leave empty to rely on the DHT alone." error={errors.trackers}>
          {props => <textarea {...props} name="trackers" rows={5} className="mono" spellCheck={false}
            value={trackers} onChange={e => { setTrackers(e.target.value) }} />}
        </Field>
        {failure !== null && <p className="form-error" role="alert">{failure}</p>}
        <div className="form__actions">
          <button type="button" className="button" onClick={close}>Cancel</button>
          <button type="submit" className="button button--primary" aria-disabled={busy || undefined}>{busy ? 'Creating…' : 'Create channel'}</button>
        </div>
      </form>
    </Modal>
  )
}
