import { useId, useRef, useState, type FormEvent } from 'react'
import { useClient } from '../app/client-context.ts'
import { setPassphrase } from '../app/commands.ts'
import { errorCodeOf, errorMessageOf } from '../client/api-call-error.ts'
import { hasErrors, validatePassphrase, type Errors } from '../lib/validation.ts'
import { actions } from '../store/store.ts'
import { Field } from './Field.tsx'

type FieldName = 'current' | 'passphrase' | 'confirm'

const ENTER_CURRENT = 'Enter your current passphrase'

/**
 * Sets, changes or removes the passphrase. Changing and removing take the current passphrase (the
 * core checks it), and removing asks once more, since it leaves the key readable on disk.
 * Buttons are never disabled under the focus: a focused button that turns disabled drops the
 * keyboard focus out of the dialog.
 */
export function PassphraseSettings ({ encrypted }: { encrypted: boolean }) {
  const client = useClient()
  const [current, setCurrent] = useState('')
  const [passphrase, setValue] = useState('')
  const [confirm, setConfirm] = useState('')
  const [errors, setErrors] = useState<Errors<FieldName>>({})
  const [confirmingRemoval, setConfirmingRemoval] = useState(false)
  const [busy, setBusy] = useState(false)
  const removeButton = useRef<HTMLButtonElement>(null)
  const firstInput = useRef<HTMLInputElement>(null)
  const confirmTitleId = useId()

  const apply = async (value: string | null): Promise<void> => {
    if (busy) return
    setBusy(true)
    try {
      await setPassphrase(client, value, encrypted ? current : undefined)
      setCurrent('')
      setValue('')
      setConfirm('')
      setErrors({})
      setConfirmingRemoval(false)
      actions().noticePosted('info', value === null ? 'Passphrase removed' : 'Passphrase saved')
      // The form changes shape (a current-passphrase field comes or goes): start it over.
      firstInput.current?.focus()
    } catch (err) {
      setConfirmingRemoval(false)
      setErrors(errorCodeOf(err) === 'WRONG_PASSPHRASE' ? { current: 'That is not your current passphrase' } : { passphrase: errorMessageOf(err) })
    } finally {
      setBusy(false)
    }
  }

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault()
    const found: Errors<FieldName> = {
      ...(encrypted && current === '' ? { current: ENTER_CURRENT } : {}),
      ...(passphrase === '' ? { passphrase: encrypted ? 'Enter a new passphrase' : 'Enter a passphrase' } : validatePassphrase({ passphrase, confirm }))
    }
    setErrors(found)
    if (!hasErrors(found)) void apply(passphrase)
  }

  const askRemoval = (): void => {
    const found: Errors<FieldName> = current === '' ? { current: ENTER_CURRENT } : {}
    setErrors(found)
    setConfirmingRemoval(!hasErrors(found))
  }

  const keep = (): void => {
    setConfirmingRemoval(false)
    removeButton.current?.focus()
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
        {encrypted && (
          <Field label="Current passphrase" error={errors.current}>
            {props => <input {...props} ref={firstInput} type="password" autoComplete="current-password" value={current}
              onChange={e => { setCurrent(e.target.value); setConfirmingRemoval(false) }} />}
          </Field>
        )}
        <div className="form__row">
          <Field label={encrypted ? 'New passphrase' : 'Passphrase'} error={errors.passphrase}>
            {props => <input {...props} ref={encrypted ? undefined : firstInput} type="password" autoComplete="new-password" value={passphrase}
              onChange={e => { setValue(e.target.value) }} />}
          </Field>
          <Field label={encrypted ? 'Confirm new passphrase' : 'Confirm passphrase'} error={errors.confirm}>
            {props => <input {...props} type="password" autoComplete="new-password" value={confirm} onChange={e => { setConfirm(e.target.value) }} />}
          </Field>
        </div>
        <div className="form__actions form__actions--start">
          <button type="submit" className="button" aria-disabled={busy || undefined}>{encrypted ? 'Change passphrase' : 'Set passphrase'}</button>
          {encrypted && (
            <button ref={removeButton} type="button" className="button button--danger-quiet" aria-disabled={busy || undefined}
              aria-expanded={confirmingRemoval} onClick={askRemoval}>Remove passphrase…</button>
          )}
        </div>
        {encrypted && confirmingRemoval && (
          <div className="confirm-box" role="group" aria-labelledby={confirmTitleId}>
            <p className="confirm-box__title" id={confirmTitleId}>Remove the passphrase?</p>
            <p className="confirm-box__text">Your secret key will be stored unencrypted on this device: anyone who can read its files could use your identity.</p>
            <div className="form__actions form__actions--start">
              <button type="button" className="button" onClick={keep} autoFocus>Keep passphrase</button>
              <button type="button" className="button button--danger" aria-disabled={busy || undefined} onClick={() => { void apply(null) }}>Remove passphrase</button>
            </div>
          </div>
        )}
      </form>
    </section>
  )
}
