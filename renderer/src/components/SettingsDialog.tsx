import { actions, useAppStore } from '../store/store.ts'
import { AppearanceSettings } from './AppearanceSettings.tsx'
import { Field } from './Field.tsx'
import { Modal } from './Modal.tsx'
import { NetworkSettings } from './NetworkSettings.tsx'
import { NotificationSettings } from './NotificationSettings.tsx'
import { PassphraseSettings } from './PassphraseSettings.tsx'
import { PrivacySettings } from './PrivacySettings.tsx'
import { ProfileSettings } from './ProfileSettings.tsx'
import { ProxySettings } from './ProxySettings.tsx'
import { HideAddressSettings } from './HideAddressSettings.tsx'
import { RelaySettings } from './RelaySettings.tsx'
import { SecuritySettings } from './SecuritySettings.tsx'

export function SettingsDialog () {
  const identity = useAppStore(s => s.identityStatus?.identity)
  const settings = useAppStore(s => s.settings)
  return (
    <Modal title="Settings" onClose={() => { actions().dialogClosed() }} size="wide">
      <div className="settings">
        {identity !== undefined && <ProfileSettings identity={identity} />}
        {identity !== undefined && <PassphraseSettings encrypted={identity.encrypted} />}
        {identity !== undefined && <SecuritySettings encrypted={identity.encrypted} />}
        {settings !== null && <PrivacySettings settings={settings} />}
        <NotificationSettings />
        {settings !== null && <NetworkSettings settings={settings} />}
        {settings !== null && <ProxySettings settings={settings} />}
        {settings !== null && <HideAddressSettings settings={settings} />}
        {settings !== null && <RelaySettings settings={settings} />}
        {settings !== null && (
          <section className="settings-section" aria-labelledby="settings-storage">
            <h3 className="settings-section__title" id="settings-storage">Storage</h3>
            <Field label="Data folder" hint="Your key, channels and messages live here.">
              {props => <input {...props} type="text" className="mono" readOnly value={settings.dataDir} />}
            </Field>
          </section>
        )}
        <AppearanceSettings />
      </div>
    </Modal>
  )
}
