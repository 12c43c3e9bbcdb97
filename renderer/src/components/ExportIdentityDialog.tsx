import { useState, type FormEvent } from 'react'
import { useClient } from '../app/client-context.ts'
import { exportIdentity } from '../app/identity-transfer.ts'
import { errorCodeOf, errorMessageOf } from '../client/api-call-error.ts'
import { base64ToBytes } from '../lib/base64.ts'
import { saveBytes } from '../lib/download.ts'
import { type Errors, focusFirstError, hasErrors, validatePassphrase } from '../lib/validation.ts'
import { actions, useAppStore } from '../store/store.ts'
import { ErrorDetails } from './ErrorDetails.tsx'
import { Field } from './Field.tsx'
import { Modal } from './Modal.tsx'

type FieldName = 'current' | 'passphrase' | 'confirm'

/** Your key, name and contacts in one file sealed under a passphrase, to import on another machine. */
export function ExportIdentityDialog () {
  const client = useClient()
  const encrypted = useAppStore(s => s.identityStatus?.identity?.encrypted === true)
  const [current, setCurrent] = useState('')
  const [passphrase, setPassphrase] = useState('')
  const [confirm, setConfirm] = useState('')
  const [errors, setErrors] = useState<Errors<FieldName>>({})
  const [failure, setFailure] = useState<{ text: string; detail: string } | null>(null)
  const [busy, setBusy] = useState(false)
  const close = (): void => { actions().dialogClosed() }

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault()
    if (busy) return
    const form = event.currentTarget
    const found: Errors<FieldName> = {
      current: encrypted && current === '' ? 'Enter the passphrase that guards your identity now.' : undefined,
      passphrase: passphrase === '' ? 'Choose a passphrase for the file.' : undefined,
      ...validatePassphrase({ passphrase, confirm })
    }
    setErrors(found)
    setFailure(null)
    if (hasErrors(found)) {
      focusFirstError(form, ['current', 'passphrase', 'confirm'], found)
      return
    }
    setBusy(true)
    try {
      const file = await exportIdentity(client, passphrase, encrypted ? current : undefined)
      saveBytes(file.fileName, base64ToBytes(file.data), 'application/octet-stream')
      actions().dialogClosed()
      actions().noticePosted('info', `Your identity is saved as ${file.fileName}`)
    } catch (err) {
      if (errorCodeOf(err) === 'WRONG_PASSPHRASE') {
        setErrors({ current: 'That is not your current passphrase.' })
        form.querySelector<HTMLElement>('[name="current"]')?.focus()
      } else {
        setFailure({ text: 'Your identity could not be exported.', detail: errorMessageOf(err) })
      }
      setBusy(false)
    }
  }

  return (
    <Modal title="Export identity" onClose={close}
      description="Saves your key, your name and your contacts in one file, sealed under a passphrase, to import on another machine. Anyone with the file and its passphrase can be you: keep both safe.">
      <form className="form" onSubmit={e => { void submit(e) }} noValidate>
        {encrypted && (
          <Field label="Current passphrase" error={errors.current}>
            {props => <input {...props} name="current" type="password" autoComplete="current-password" data-autofocus
              value={current} onChange={e => { setCurrent(e.target.value) }} />}
          </Field>
        )}
        <Field label="Passphrase for the file" hint="You will type it on the other machine; it guards the identity there too." error={errors.passphrase}>
          {props => <input {...props} name="passphrase" type="password" autoComplete="new-password"
            value={passphrase} onChange={e => { setPassphrase(e.target.value) }} />}
        </Field>
        <Field label="Confirm passphrase" error={errors.confirm}>
          {props => <input {...props} name="confirm" type="password" autoComplete="new-password"
            value={confirm} onChange={e => { setConfirm(e.target.value) }} />}
        </Field>
        {failure !== null && <p className="form-error" role="alert">{failure.text} <ErrorDetails detail={failure.detail} /></p>}
        <div className="form__actions">
          <button type="button" className="button" onClick={close}>Cancel</button>
          <button type="submit" className="button button--primary" aria-disabled={busy || undefined}>{busy ? 'Exporting…' : 'Export and save'}</button>
        </div>
      </form>
    </Modal>
  )
}
