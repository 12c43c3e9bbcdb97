import { useEffect, useState } from 'react'
import { useClient } from '../app/client-context.ts'
import { errorMessageOf } from '../client/api-call-error.ts'
import { copyText } from '../lib/clipboard.ts'
import { contactFileBytes } from '../lib/contact-file.ts'
import { saveBytes } from '../lib/download.ts'
import { actions } from '../store/store.ts'
import { ErrorDetails } from './ErrorDetails.tsx'
import { Field } from './Field.tsx'
import { Icon } from './Icon.tsx'
import { QrCode } from './QrCode.tsx'

/** Your own contact link, to send to people so they can add you, its QR image to show in person, and the same as a file. */
export function ContactLinkSettings ({ name }: { name: string }) {
  const client = useClient()
  const [link, setLink] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [copied, setCopied] = useState(false)

  // The link carries your display name as a suggestion: ask again when it changes.
  useEffect(() => {
    let live = true
    setCopied(false)
    client.call('identity.contactLink', {}).then(
      result => { if (live) setLink(result.link) },
      (err: unknown) => { if (live) setError(errorMessageOf(err)) }
    )
    return () => { live = false }
  }, [client, name])

  // The desktop app asks where to save it (its save dialog), a browser saves a download.
  const saveFile = async (): Promise<void> => {
    try {
      const { text, fileName } = await client.call('identity.contactFile', {})
      saveBytes(fileName, contactFileBytes(text), 'text/plain')
    } catch (err) {
      actions().noticePosted('error', 'Could not save your contact file', errorMessageOf(err))
    }
  }

  const copy = async (): Promise<void> => {
    if (link === null) return
    try {
      await copyText(link)
      setCopied(true)
    } catch (err) {
      actions().noticePosted('error', 'Could not copy the link', errorMessageOf(err))
    }
  }

  return (
    <section className="settings-section" aria-labelledby="settings-contact-link">
      <h3 className="settings-section__title" id="settings-contact-link">Your contact link</h3>
      <p className="settings-section__intro">Send it to people so they can add you. It holds your public key and, as a suggestion, your display name. The contact file holds the same, to send as an attachment.</p>
      {error !== null && <><p className="form-error" role="alert">Could not make your contact link.</p><ErrorDetails detail={error} /></>}
      {error === null && link === null && <p className="muted" role="status">Preparing your link…</p>}
      {link !== null && (
        <div className="contact-link">
          <div className="contact-link__text">
            <Field label="Contact link">
              {props => <input {...props} type="text" className="mono" readOnly value={link} onFocus={e => { e.target.select() }} data-testid="own-contact-link" />}
            </Field>
            <div className="form__actions form__actions--start">
              <button type="button" className="button" onClick={() => { void copy() }}>
                <Icon name={copied ? 'check' : 'copy'} size={18} /> {copied ? 'Copied' : 'Copy link'}
              </button>
              <button type="button" className="button" onClick={() => { void saveFile() }}>
                <Icon name="download" size={18} /> Save contact file…
              </button>
              <span className="field__hint" role="status">{copied ? 'The link is on your clipboard.' : ''}</span>
            </div>
          </div>
          <QrCode text={link} label="QR code of your contact link" size={136} />
        </div>
      )}
    </section>
  )
}
