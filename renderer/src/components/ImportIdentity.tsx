import { useState, type FormEvent } from 'react'
import { useClient } from '../app/client-context.ts'
import { importIdentity, importProblem } from '../app/identity-transfer.ts'
import { errorMessageOf } from '../client/api-call-error.ts'
import { ErrorDetails } from './ErrorDetails.tsx'
import { Field } from './Field.tsx'

/** The first-run screen's other path: an identity exported on another machine, opened with its passphrase. */
export function ImportIdentity ({ onCancel }: { onCancel: () => void }) {
  const client = useClient()
  const [file, setFile] = useState<File | null>(null)
  const [passphrase, setPassphrase] = useState('')
  const [errors, setErrors] = useState<{ file?: string; passphrase?: string }>({})
  const [failure, setFailure] = useState<{ text: string; detail: string } | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault()
    const found = {
      file: file === null ? 'Choose the identity file you exported.' : undefined,
      passphrase: passphrase === '' ? 'Enter the passphrase you chose when exporting.' : undefined
    }
    setErrors(found)
    setFailure(null)
    if (file === null || found.passphrase !== undefined) {
      event.currentTarget.querySelector<HTMLElement>(found.file !== undefined ? '[name="identity-file"]' : '[name="passphrase"]')?.focus()
      return
    }
    setBusy(true)
    try {
      await importIdentity(client, file, passphrase)
    } catch (err) {
      setFailure({ text: importProblem(err), detail: errorMessageOf(err) })
      setBusy(false)
    }
  }

  return (
    <form className="card onboarding__card" onSubmit={e => { void submit(e) }} noValidate aria-labelledby="import-title"
      onDragOver={e => { e.preventDefault() }}
      onDrop={e => { e.preventDefault(); const dropped = e.dataTransfer.files[0]; if (dropped !== undefined) setFile(dropped) }}>
      <h1 id="import-title" className="onboarding__title">Bring your identity</h1>
      <p className="onboarding__lead">Open the identity file you exported on your other machine (Settings → Lock and transfer → Export identity). Your contacts come with it.</p>
      <Field label="Identity file" hint="A .bitchat-identity file. You can also drop it on this card." error={errors.file}>
        {props => <input {...props} name="identity-file" type="file" accept=".bitchat-identity" autoFocus
          onChange={e => { setFile(e.target.files?.[0] ?? null) }} />}
      </Field>
      <Field label="Passphrase" hint="The one you chose when exporting. It stays the passphrase of this identity here." error={errors.passphrase}>
        {props => <input {...props} name="passphrase" type="password" autoComplete="current-password"
          value={passphrase} onChange={e => { setPassphrase(e.target.value) }} />}
      </Field>
      {failure !== null && <p className="form-error" role="alert">{failure.text} <ErrorDetails detail={failure.detail} /></p>}
      <button type="submit" className="button button--primary button--block" aria-disabled={busy || undefined}>
        {busy ? 'Importing…' : 'Import identity'}
      </button>
      <button type="button" className="link-button onboarding__switch" onClick={onCancel}>Create a new identity instead</button>
    </form>
  )
}
