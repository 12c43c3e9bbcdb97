import { useId, useState, type ReactNode } from 'react'
import type { Settings } from '../../../core/api/contract.ts'
import { useClient } from '../app/client-context.ts'
import { saveSettings } from '../app/commands.ts'
import { errorMessageOf } from '../client/api-call-error.ts'
import { Switch } from './Switch.tsx'

/** A switch bound to one setting of the core: it shows what the core holds, so a failed change springs back, with why. */
export function SettingSwitch ({ label, checked, patch, hint }: {
  label: string
  checked: boolean
  patch: (on: boolean) => Partial<Omit<Settings, 'dataDir'>>
  hint: ReactNode
}) {
  const client = useClient()
  const hintId = useId()
  const [saving, setSaving] = useState(false)
  const [failure, setFailure] = useState<string | null>(null)

  const change = async (on: boolean): Promise<void> => {
    setSaving(true)
    setFailure(null)
    try {
      await saveSettings(client, patch(on))
    } catch (err) {
      setFailure(`Could not change it: ${errorMessageOf(err)}`)
    } finally {
      setSaving(false)
    }
  }

  return (
    <>
      <Switch label={label} checked={checked} busy={saving} describedBy={hintId} onChange={on => { void change(on) }} />
      <p className="field__hint" id={hintId}>{hint}</p>
      {failure !== null && <p className="form-error" role="alert">{failure}</p>}
    </>
  )
}
