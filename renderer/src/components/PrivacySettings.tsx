import type { Settings } from '../../../core/api/contract.ts'
import { SettingSwitch } from './SettingSwitch.tsx'

/** Whether we tell others we read their messages. */
export function PrivacySettings ({ settings }: { settings: Settings }) {
  return (
    <section className="settings-section" aria-labelledby="settings-privacy">
      <h3 className="settings-section__title" id="settings-privacy">Privacy</h3>
      <SettingSwitch label="Send read receipts" checked={settings.readReceipts} patch={readReceipts => ({ readReceipts })}
        hint="If you turn this off, others won’t see when you’ve read their messages. They’ll still see that your device received them." />
    </section>
  )
}
