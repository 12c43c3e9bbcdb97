import type { Settings } from '../../../core/api/contract.ts'
import { SettingSwitch } from './SettingSwitch.tsx'

/** "Hide my IP address": only contacts connect directly; everyone else through a contact who relays. */
export function HideAddressSettings ({ settings }: { settings: Settings }) {
  return (
    <section className="settings-section" aria-labelledby="settings-hide-address">
      <h3 className="settings-section__title" id="settings-hide-address">Your IP address</h3>
      <SettingSwitch label="Hide my IP address" checked={settings.relayOnly === true} patch={relayOnly => ({ relayOnly })}
        hint={settings.relayOnly === true
          ? 'Only your contacts connect to you directly; everyone else reaches you through a contact who relays, so you talk with them only while such a contact is online.'
          : 'Only your contacts would connect to you directly, and everyone else through a contact who relays: you would need such a contact online to talk with anyone else.'} />
    </section>
  )
}
