import { useId, useState } from 'react'
import type { RelayLimitsInfo, Settings } from '../../../core/api/contract.ts'
import { useClient } from '../app/client-context.ts'
import { saveSettings } from '../app/commands.ts'
import { errorMessageOf } from '../client/api-call-error.ts'

function rate (bytesPerSecond: number): string {
  return bytesPerSecond >= 1024 * 1024 ? `${Math.round(bytesPerSecond / (1024 * 1024))} MB/s` : `${Math.round(bytesPerSecond / 1024)} KB/s`
}

function duration (ms: number): string {
  const minutes = Math.round(ms / 60_000)
  return minutes % 60 === 0 ? `${minutes / 60} hour${minutes === 60 ? '' : 's'}` : `${minutes} minutes`
}

/** The bounds the core keeps, in words: what saying yes can cost. */
export function relayLimitsText (limits: RelayLimitsInfo): string {
  return `At most ${limits.circuits} connections at once (${limits.circuitsPerPeer} per person), ${rate(limits.bytesPerSecond)} in all and ${rate(limits.bytesPerSecondPerCircuit)} each, each for up to ${duration(limits.lifetimeMs)}.`
}

/**
 * "Allow relaying for others": members who cannot reach each other directly may connect through us.
 * The switch shows what the core holds, so a failed change springs back.
 */
export function RelaySettings ({ settings }: { settings: Settings }) {
  const client = useClient()
  const hintId = useId()
  const [saving, setSaving] = useState(false)
  const [failure, setFailure] = useState<string | null>(null)

  const change = async (relayForOthers: boolean): Promise<void> => {
    setSaving(true)
    setFailure(null)
    try {
      await saveSettings(client, { relayForOthers })
    } catch (err) {
      setFailure(`Could not change it: ${errorMessageOf(err)}`)
    } finally {
      setSaving(false)
    }
  }

  return (
    <section className="settings-section" aria-labelledby="settings-relaying">
      <h3 className="settings-section__title" id="settings-relaying">Relaying</h3>
      <label className="switch">
        <input type="checkbox" role="switch" className="switch__input" checked={settings.relayForOthers !== false} aria-describedby={hintId}
          aria-disabled={saving || undefined} onChange={e => { if (!saving) void change(e.target.checked) }} />
        <span className="switch__track" aria-hidden="true"><span className="switch__thumb" /></span>
        <span className="switch__label">Allow relaying for others</span>
      </label>
      <p className="field__hint" id={hintId}>
        Members who can’t connect to each other directly can connect through you. Their messages stay end-to-end encrypted: you pass them on without being able to read or change them.
        {settings.relayLimits !== undefined && <> {relayLimitsText(settings.relayLimits)}</>}
      </p>
      {failure !== null && <p className="form-error" role="alert">{failure}</p>}
    </section>
  )
}
