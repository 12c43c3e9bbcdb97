import { useId, useRef, useState, type FormEvent } from 'react'
import type { Settings } from '../../../core/api/contract.ts'
import { useClient } from '../app/client-context.ts'
import { saveSettings } from '../app/commands.ts'
import { errorMessageOf } from '../client/api-call-error.ts'
import { proxyFields, proxyInUse, proxyUrl, type ProxyField, type ProxyFields } from '../lib/proxy-form.ts'
import { actions } from '../store/store.ts'
import { Field } from './Field.tsx'

const KINDS: ReadonlyArray<{ value: ProxyFields['kind']; label: string }> = [
  { value: 'none', label: 'No proxy' },
  { value: 'socks5', label: 'SOCKS5 (Tor)' },
  { value: 'http', label: 'HTTP' }
]

/** A proxy for every connection: an office's HTTP proxy, or Tor's SOCKS5 port. */
export function ProxySettings ({ settings }: { settings: Settings }) {
  const client = useClient()
  const formRef = useRef<HTMLFormElement>(null)
  const noteId = useId()
  const [fields, setFields] = useState<ProxyFields>(() => proxyFields(settings.proxy))
  const [error, setError] = useState<{ field: ProxyField; problem: string } | null>(null)
  const [failure, setFailure] = useState<string | null>(null)
  const inUse = proxyInUse(settings.proxy)

  const change = (patch: Partial<ProxyFields>): void => { setFields(f => ({ ...f, ...patch })) }
  const errorOf = (field: ProxyField): string | undefined => error?.field === field ? error.problem : undefined

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault()
    setFailure(null)
    const result = proxyUrl(fields)
    if ('field' in result) {
      setError(result)
      formRef.current?.querySelector<HTMLElement>(`[name="proxy-${result.field}"]`)?.focus()
      return
    }
    setError(null)
    try {
      await saveSettings(client, { proxy: result.url === '' ? null : result.url })
      actions().noticePosted('info', result.url === '' ? 'BitChat connects directly again' : 'Every connection now goes through the proxy')
    } catch (err) {
      setFailure(`Could not change it: ${errorMessageOf(err)}`)
    }
  }

  return (
    <section className="settings-section" aria-labelledby="settings-proxy">
      <h3 className="settings-section__title" id="settings-proxy">Proxy</h3>
      <p className="settings-section__intro">
        Send every connection through a proxy: your network’s HTTP proxy, or Tor. Peers and trackers then see the proxy’s address instead of yours.
      </p>
      <form className="form" ref={formRef} onSubmit={e => { void submit(e) }} noValidate aria-describedby={noteId}>
        <fieldset className="segmented">
          <legend className="visually-hidden">Proxy type</legend>
          {KINDS.map(option => (
            <label key={option.value} className="segmented__option">
              <input type="radio" name="proxy-kind" value={option.value} checked={fields.kind === option.value}
                onChange={() => {
                  setError(null)
                  change(option.value === 'socks5' && fields.kind === 'none' && fields.host === '' ? { kind: option.value, host: '127.0.0.1', port: '9050' } : { kind: option.value })
                }} />
              <span>{option.label}</span>
            </label>
          ))}
        </fieldset>
        {fields.kind !== 'none' && (
          <>
            <div className="form__row">
              <Field label="Address" error={errorOf('host')}>
                {props => <input {...props} name="proxy-host" type="text" className="mono" autoComplete="off" spellCheck={false} value={fields.host} onChange={e => { change({ host: e.target.value }) }} />}
              </Field>
              <Field label="Port" error={errorOf('port')}>
                {props => <input {...props} name="proxy-port" type="text" inputMode="numeric" className="mono input--short" value={fields.port} onChange={e => { change({ port: e.target.value }) }} />}
              </Field>
            </div>
            <div className="form__row">
              <Field label="User name (optional)" error={errorOf('username')}>
                {props => <input {...props} name="proxy-username" type="text" autoComplete="off" value={fields.username} onChange={e => { change({ username: e.target.value }) }} />}
              </Field>
              <Field label="Password (optional)" error={errorOf('password')}>
                {props => <input {...props} name="proxy-password" type="password" autoComplete="off" value={fields.password} onChange={e => { change({ password: e.target.value }) }} />}
              </Field>
            </div>
          </>
        )}
        <p className="field__hint" id={noteId}>
          {inUse
            ? 'A proxy is in use. BitChat finds people only through web (http and https) trackers meanwhile: the DHT, local network discovery and UDP trackers are off, because they would show your address.'
            : 'With a proxy, BitChat finds people only through web (http and https) trackers: the DHT, local network discovery and UDP trackers are turned off, because they would show your address.'}
        </p>
        {failure !== null && <p className="form-error" role="alert">{failure}</p>}
        <div className="form__actions form__actions--start">
          <button type="submit" className="button">Save proxy</button>
        </div>
      </form>
    </section>
  )
}
