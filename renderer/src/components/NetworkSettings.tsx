import { useState, type FormEvent } from 'react'
import type { Settings } from '../../../core/api/contract.ts'
import { useClient } from '../app/client-context.ts'
import { saveSettings } from '../app/commands.ts'
import { errorCodeOf, errorMessageOf } from '../client/api-call-error.ts'
import { MAX_USER_AGENT } from '../lib/limits.ts'
import { hasErrors, validateSettingsForm, type Errors, type SettingsFormField } from '../lib/validation.ts'
import { actions } from '../store/store.ts'
import { Field } from './Field.tsx'
import { proxyInUse } from '../lib/proxy-form.ts'
import { SettingSwitch } from './SettingSwitch.tsx'

export function NetworkSettings ({ settings }: { settings: Settings }) {
  const client = useClient()
  const [listenPort, setPort] = useState(String(settings.listenPort))
  const [trackerUserAgent, setUserAgent] = useState(settings.trackerUserAgent)
  const [trackerPeerIdPrefix, setPrefix] = useState(settings.trackerPeerIdPrefix)
  const [errors, setErrors] = useState<Errors<SettingsFormField>>({})
  const [failure, setFailure] = useState<string | null>(null)

  const portHint = settings.unavailablePort === undefined
    ? 'TCP port peers connect to. 0 picks a free one.'
    : `Port ${settings.unavailablePort} was in use by another program when BitChat started: it listens on ${settings.listenPort} for now, and tries ${settings.unavailablePort} again at the next start.`

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault()
    const found = validateSettingsForm({ listenPort, trackerUserAgent, trackerPeerIdPrefix })
    setErrors(found)
    setFailure(null)
    if (hasErrors(found)) return
    try {
      await saveSettings(client, {
        listenPort: Number(listenPort),
        trackerUserAgent: trackerUserAgent.trim(),
        trackerPeerIdPrefix: trackerPeerIdPrefix.trim()
      })
      actions().noticePosted('info', 'Network settings saved')
    } catch (err) {
      if (errorCodeOf(err) === 'PORT_IN_USE') setErrors({ listenPort: errorMessageOf(err) })
      else setFailure(errorMessageOf(err))
    }
  }

  return (
    <section className="settings-section" aria-labelledby="settings-network">
      <h3 className="settings-section__title" id="settings-network">Network</h3>
      <form className="form" onSubmit={e => { void submit(e) }} noValidate>
        <Field label="Listen port" hint={portHint} error={errors.listenPort}>
          {props => <input {...props} type="text" inputMode="numeric" className="input--short" value={listenPort} onChange={e => { setPort(e.target.value) }} />}
        </Field>
        <div className="field">
          <SettingSwitch label="Ask the router to forward this port (UPnP, PCP or NAT-PMP)" checked={settings.portMapping !== false} patch={portMapping => ({ portMapping })}
            hint={proxyInUse(settings.proxy)
              ? 'Not used while a proxy is set: the router would make your address known.'
              : settings.relayOnly === true
                ? 'Not used while your IP address is hidden: the router would make your address known.'
                : 'Lets people outside your network connect to you directly. The router removes it when BitChat quits.'} />
        </div>
        <p className="settings-section__intro">Tracker disguise: how announces look to trackers, so they pass as an ordinary BitTorrent client.</p>
        <div className="form__row">
          <Field label="User agent" error={errors.trackerUserAgent}>
            {props => <input {...props} type="text" className="mono" maxLength={MAX_USER_AGENT} value={trackerUserAgent} onChange={e => { setUserAgent(e.target.value) }} />}
          </Field>
          <Field label="Peer id prefix" error={errors.trackerPeerIdPrefix}>
            {props => <input {...props} type="text" className="mono input--short" maxLength={8} value={trackerPeerIdPrefix} onChange={e => { setPrefix(e.target.value) }} />}
          </Field>
        </div>
        {failure !== null && <p className="form-error" role="alert">{failure}</p>}
        <div className="form__actions form__actions--start">
          <button type="submit" className="button">Save network settings</button>
        </div>
      </form>
    </section>
  )
}
