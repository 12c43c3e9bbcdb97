import { useId, useState } from 'react'
import type { Settings } from '../../../core/api/contract.ts'
import { useClient } from '../app/client-context.ts'
import { saveSettings } from '../app/commands.ts'
import { errorMessageOf } from '../client/api-call-error.ts'

/** Whether the router is asked to forward the listen port; the switch shows what the core holds. */
export function PortMappingSwitch ({ settings }: { settings: Settings }) {
  const client = useClient()
  const hintId = useId()
  const [saving, setSaving] = useState(false)
  const [failure, setFailure] = useState<string | null>(null)
  const proxied = settings.proxy !== null && settings.proxy !== undefined && settings.proxy !== ''

  const change = async (portMapping: boolean): Promise<void> => {
    setSaving(true)
    setFailure(null)
    try {
      await saveSettings(client, { portMapping })
    } catch (err) {
      setFailure(`Could not change it: ${errorMessageOf(err)}`)
    } finally {
      setSaving(false)
    }
  }

  return (
    <div className="field">
      <label className="switch">
        <input type="checkbox" role="switch" className="switch__input" checked={settings.portMapping !== false} aria-describedby={hintId}
          aria-disabled={saving || undefined} onChange={e => { if (!saving) void change(e.target.checked) }} />
        <span className="switch__track" aria-hidden="true"><span className="switch__thumb" /></span>
        <span className="switch__label">Ask the router to forward this port (UPnP)</span>
      </label>
      <p className="field__hint" id={hintId}>
        {proxied
          ? 'Not used while a proxy is set: the router would make your address known.'
          : 'Lets people outside your network connect to you directly. The router removes it when BitChat quits.'}
      </p>
      {failure !== null && <p className="form-error" role="alert">{failure}</p>}
    </div>
  )
}
