import { useState, type FormEvent } from 'react'
import { useClient } from '../app/client-context.ts'
import { createIdentity } from '../app/commands.ts'
import { errorMessageOf } from '../client/api-call-error.ts'
import { type Errors, focusFirstError, hasErrors, validateName, validatePassphrase } from '../lib/validation.ts'
import { Field } from './Field.tsx'
import { ImportIdentity } from './ImportIdentity.tsx'
import { Logo } from './Logo.tsx'

type FieldName = 'name' | 'passphrase' | 'confirm'

export function FirstRun () {
  const client = useClient()
  const [name, setName] = useState('')
  const [passphrase, setPassphrase] = useState('')
  const [confirm, setConfirm] = useState('')
  const [errors, setErrors] = useState<Errors<FieldName>>({})
  const [failure, setFailure] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [importing, setImporting] = useState(false)

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault()
    const found: Errors<FieldName> = { name: validateName(name, 'Display name'), ...validatePassphrase({ passphrase, confirm }) }
    setErrors(found)
    setFailure(null)
    if (hasErrors(found)) {
      focusFirstError(event.currentTarget, ['name', 'passphrase', 'confirm'], found)
      return
    }
    setBusy(true)
    try {
      await createIdentity(client, name.trim(), passphrase)
    } catch (err) {
      setFailure(errorMessageOf(err))
      setBusy(false)
    }
  }

  if (importing) return <main className="onboarding"><ImportIdentity onCancel={() => { setImporting(false) }} /></main>

  return (
    <main className="onboarding">
      <form className="card onboarding__card" onSubmit={e => { void submit(e) }} noValidate aria-labelledby="first-run-title">
        <div className="onboarding__brand"><Logo size={48} /></div>
        <h1 id="first-run-title" className="onboarding__title">Welcome to BitChat</h1>
        <p className="onboarding__lead">
          Group chat with no servers in between. Your identity is a key pair created and kept on this device; nobody else holds a copy.
        </p>
        <Field label="Display name" hint="What people in your channels see. You can change it later." error={errors.name}>
          {props => <input {...props} name="name" type="text" autoComplete="nickname" dir="auto"
            value={name} onChange={e => { setName(e.target.value) }} autoFocus />}
        </Field>
        <Field label="Passphrase (optional)" hint="Encrypts your key on disk. It cannot be recovered if you forget it." error={errors.passphrase}>
          {props => <input {...props} name="passphrase" type="password" autoComplete="new-password"
            value={passphrase} onChange={e => { setPassphrase(e.target.value) }} />}
        </Field>
        {passphrase !== '' && (
          <Field label="Confirm passphrase" error={errors.confirm}>
            {props => <input {...props} name="confirm" type="password" autoComplete="new-password"
              value={confirm} onChange={e => { setConfirm(e.target.value) }} />}
          </Field>
        )}
        {failure !== null && <p className="form-error" role="alert">{failure}</p>}
        <button type="submit" className="button button--primary button--block" disabled={busy}>
          {busy ? 'Creating…' : 'Create identity'}
        </button>
        <button type="button" className="link-button onboarding__switch" onClick={() => { setImporting(true) }}>I already have an identity</button>
      </form>
    </main>
  )
}
