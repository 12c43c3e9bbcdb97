import { useState, type FormEvent } from 'react'
import { useClient } from '../app/client-context.ts'
import { unlockIdentity } from '../app/commands.ts'
import { errorCodeOf, errorMessageOf } from '../client/api-call-error.ts'
import { actions, useAppStore } from '../store/store.ts'
import { Field } from './Field.tsx'
import { Icon } from './Icon.tsx'

export function Unlock () {
  const client = useClient()
  const [passphrase, setPassphrase] = useState('')
  const [error, setError] = useState<string | undefined>(undefined)
  const [busy, setBusy] = useState(false)
  // Locked by the window (Lock now, idle) rather than at start: the core holds the identity open meanwhile.
  const windowLock = useAppStore(s => s.uiLocked)

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      await unlockIdentity(client, passphrase)
      actions().lockSet(false)
    } catch (err) {
      setError(errorCodeOf(err) === 'WRONG_PASSPHRASE' ? 'Wrong passphrase. Try again.' : errorMessageOf(err))
      setBusy(false)
    }
  }

  return (
    <main className="onboarding">
      <form className="card onboarding__card" onSubmit={e => { void submit(e) }} aria-labelledby="unlock-title">
        <div className="onboarding__brand onboarding__brand--lock"><Icon name="lock" size={28} /></div>
        <h1 id="unlock-title" className="onboarding__title">{windowLock ? 'BitChat is locked' : 'Unlock BitChat'}</h1>
        <p className="onboarding__lead">{windowLock
          ? 'Your conversations are hidden. Enter your passphrase to show them again.'
          : 'Your identity is protected by a passphrase. Enter it to open your channels.'}</p>
        <Field label="Passphrase" error={error}>
          {props => <input {...props} type="password" autoComplete="current-password" autoFocus
            value={passphrase} onChange={e => { setPassphrase(e.target.value) }} />}
        </Field>
        <button type="submit" className="button button--primary button--block" disabled={busy || passphrase === ''}>
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
      </form>
    </main>
  )
}
