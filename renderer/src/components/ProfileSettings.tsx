import { useState, type FormEvent } from 'react'
import type { IdentityInfo } from '../../../core/api/contract.ts'
import { useClient } from '../app/client-context.ts'
import { setDisplayName } from '../app/commands.ts'
import { errorMessageOf } from '../client/api-call-error.ts'
import { validateName } from '../lib/validation.ts'
import { Avatar } from './Avatar.tsx'
import { ContactLinkSettings } from './ContactLinkSettings.tsx'
import { CopyKeyButton } from './CopyKeyButton.tsx'
import { Field } from './Field.tsx'

export function ProfileSettings ({ identity }: { identity: IdentityInfo }) {
  const client = useClient()
  const [name, setName] = useState(identity.name)
  const [error, setError] = useState<string | undefined>(undefined)
  const [saved, setSaved] = useState(false)
  const unchanged = name.trim() === identity.name

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault()
    if (unchanged) return
    setSaved(false)
    const problem = validateName(name, 'Display name')
    setError(problem)
    if (problem !== undefined) return
    try {
      await setDisplayName(client, name.trim())
      setSaved(true)
    } catch (err) {
      setError(errorMessageOf(err))
    }
  }

  return (
    <>
      <section className="settings-section" aria-labelledby="settings-profile">
        <h3 className="settings-section__title" id="settings-profile">Identity</h3>
        <div className="identity-card">
          <Avatar name={identity.name} publicKey={identity.publicKey} size="lg" />
          <dl className="identity-card__facts">
            <dt>Fingerprint</dt>
            <dd className="mono" data-testid="own-fingerprint">{identity.fingerprint}</dd>
            <dt>Public key</dt>
            <dd className="identity-card__key">
              <span className="mono truncate" title={identity.publicKey}>{identity.publicKey}</span>
              <CopyKeyButton publicKey={identity.publicKey} label="Copy public key" />
            </dd>
          </dl>
        </div>
        <form className="inline-form" onSubmit={e => { void submit(e) }} noValidate>
          <Field label="Display name" error={error} hint={saved ? 'Saved.' : undefined}>
            {props => <input {...props} type="text" dir="auto" value={name}
              onChange={e => { setName(e.target.value); setSaved(false) }} />}
          </Field>
          {/* Not `disabled`: the button is focused when the save makes the name unchanged, and a disabled one would drop the focus. */}
          <button type="submit" className="button" aria-disabled={unchanged || undefined}>Save name</button>
        </form>
      </section>
      <ContactLinkSettings name={identity.name} />
    </>
  )
}
