import { useId, useState } from 'react'
import type { Settings } from '../../../core/api/contract.ts'
import { useClient } from '../app/client-context.ts'
import { saveSettings } from '../app/commands.ts'
import { errorMessageOf } from '../client/api-call-error.ts'

/** Whether we tell others we read their messages; the switch shows what the core holds, so a failed change springs back. */
export function PrivacySettings ({ settings }: { settings: Settings }) {
  const client = useClient()
  const hintId = useId()
  const [saving, setSaving] = useState(false)
  const [failure, setFailure] = useState<string | null>(null)

  const change = async (readReceipts: boolean): Promise<void> => {
    setSaving(true)
    setFailure(null)
    try {
      await saveSettings(client, { readReceipts })
    } catch (err) {
      setFailure(`Could not change it: ${errorMessageOf(err)}`)
    } finally {
      setSaving(false)
    }
  }

  return (
    <section className="settings-section" aria-labelledby="settings-privacy">
      <h3 className="settings-section__title" id="settings-privacy">Privacy</h3>
      <label className="switch">
        <input type="checkbox" role="switch" className="switch__input" checked={settings.readReceipts} aria-describedby={hintId}
          aria-disabled={saving || undefined} onChange={e => { if (!saving) void change(e.target.checked) }} />
        <span className="switch__track" aria-hidden="true"><span className="switch__thumb" /></span>
        <span className="switch__label">Send read receipts</span>
      </label>
      <p className="field__hint" id={hintId}>
        If you turn this off, others won’t see when you’ve read their messages. They’ll still see that your device received them.
      </p>
      {failure !== null && <p className="form-error" role="alert">{failure}</p>}
    </section>
  )
}
