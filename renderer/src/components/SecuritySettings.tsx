import { LOCK_SHORTCUT_LABEL, lockNow, NO_PASSPHRASE_TO_LOCK } from '../app/lock.ts'
import { useClient } from '../app/client-context.ts'
import { AUTO_LOCK_CHOICES } from '../lib/auto-lock.ts'
import { actions, useAppStore } from '../store/store.ts'
import { Field } from './Field.tsx'
import { Icon } from './Icon.tsx'

const choiceLabel = (minutes: number): string => minutes === 0 ? 'Never' : minutes === 1 ? 'After 1 minute idle' : `After ${minutes} minutes idle`

/** Locking the window and taking the identity to another machine. */
export function SecuritySettings ({ encrypted }: { encrypted: boolean }) {
  const minutes = useAppStore(s => s.autoLockMinutes)
  const client = useClient()
  return (
    <section className="settings-section" aria-labelledby="settings-security">
      <h3 className="settings-section__title" id="settings-security">Lock and transfer</h3>
      <div className="settings-row">
        <button type="button" className="button" aria-keyshortcuts="Control+L" aria-disabled={!encrypted || undefined}
          aria-describedby={encrypted ? undefined : 'lock-needs-passphrase'} onClick={() => { lockNow(client) }}>
          <Icon name="lock" size={18} /> Lock now <kbd>{LOCK_SHORTCUT_LABEL}</kbd>
        </button>
      </div>
      {!encrypted && <p className="field__hint" id="lock-needs-passphrase">{NO_PASSPHRASE_TO_LOCK}</p>}
      <Field label="Lock automatically" hint={encrypted ? 'Hides your conversations behind your passphrase after this long without a key press or a pointer move. Kept in this window.' : undefined}>
        {props => (
          <select {...props} aria-describedby={encrypted ? props['aria-describedby'] : 'lock-needs-passphrase'} value={encrypted ? minutes : 0} disabled={!encrypted}
            onChange={e => { actions().autoLockChanged(Number(e.target.value)) }}>
            {AUTO_LOCK_CHOICES.map(m => <option key={m} value={m}>{choiceLabel(m)}</option>)}
          </select>
        )}
      </Field>
      <div className="settings-transfer">
        <p className="field__hint">Move this identity to another machine: a file with your key, your name and your contacts, sealed under a passphrase you choose. On the other machine, choose “I already have an identity” on the first screen.</p>
        <button type="button" className="button" onClick={() => { actions().dialogOpened({ kind: 'export-identity' }) }}>
          <Icon name="download" size={18} /> Export identity…
        </button>
      </div>
    </section>
  )
}
