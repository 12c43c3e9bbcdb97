import { useState, type FormEvent } from 'react'
import { useClient } from '../app/client-context.ts'
import { setPassphrase } from '../app/commands.ts'
import { errorMessageOf } from '../client/api-call-error.ts'
import { hasErrors, validatePassphrase, type Errors } from '../lib/validation.ts'
import { actions } from '../store/store.ts'
import { Field } from './Field.tsx'

export function PassphraseSettings ({ encrypted }: { encrypted: boolean }) {
  const client = useClient()
  const [passphrase, setValue] = useState('')
  const [confirm, setConfirm] = useState('')
  const [errors, setErrors] = useState<Errors<'passphrase' | 'confirm'>>({})
  const [busy, setBusy] = useState(false)

  const apply = async (value: string | null): Promise<void> => {
    setBusy(true)
    try {
      await setPassphrase(client, value)
      setValue('')
      setConfirm('')
      actions().noticePosted('info', value === null ? 'Passphrase removed' : 'Passphrase saved')
    } catch (err) {
      setErrors({ passphrase: errorMessageOf(err) })
    } finally {
      setBusy(false)
    }
  }

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault()
    const found = passphrase === '' ? { passphrase: 'Enter a passphrase' } : validatePassphrase({ passphrase, confirm })
    setErrors(found)
    if (!hasErrors(found)) void apply(passphrase)
  }

  return (
    <section className="settings-section" aria-labelledby="settings-passphrase">
      <h3 className="settings-section__title" id="settings-passphrase">Passphrase</h3>
      <p className="muted">
        {encrypted
          ? 'Your secret key is encrypted with a passphrase on this device.'
          : 'Your secret key is stored without a passphrase. Anyone with access to this device’s files could use it.'}
      </p>
      <form className="form" onSubmit={submit} noValidate>
        <div className="form__row">
          <Field label={encrypted ? 'New passphrase' : 'Passphrase'} error={errors.passphrase}>
            {props => <input {...props} type="password" autoComplete="new-password" value={passphrase} onChange={e => { setValue(e.target.value) }} />}
          </Field>
          <Field label="Confirm passphrase" error={errors.confirm}>
            {props => <input {...props} type="password" autoComplete="new-password" value={confirm} onChange={e => { setConfirm(e.target.value) }} />}
          </Field>
        </div>
        <div className="form__actions form__actions--start">
          <button type="submit" className="button" disabled={busy}>{encrypted ? 'Change passphrase' : 'Set passphrase'}</button>
          {encrypted && <button type="button" className="button button--danger-quiet" disabled={busy} onClick={() => { void apply(null) }}>Remove passphrase</button>}
        </div>
      </form>
    </section>
  )
}
