import { useRef, useState, type ChangeEvent, type FormEvent } from 'react'
import { useClient } from '../app/client-context.ts'
import { joinChannel, joinChatFile } from '../app/commands.ts'
import { isContactLink } from '../lib/contact-link.ts'
import { isInviteLink } from '../lib/invite-link.ts'
import { joinProblem, type Problem } from '../lib/join-problem.ts'
import { MAX_INVITE_LINK } from '../lib/limits.ts'
import { actions } from '../store/store.ts'
import { ErrorDetails } from './ErrorDetails.tsx'
import { Field } from './Field.tsx'
import { Icon } from './Icon.tsx'
import { Modal } from './Modal.tsx'

export function JoinChannelDialog ({ initialUri = '' }: { initialUri?: string }) {
  const client = useClient()
  const [uri, setUri] = useState(initialUri)
  const [error, setError] = useState<Problem | undefined>(undefined)
  const [busy, setBusy] = useState(false)
  const fileInput = useRef<HTMLInputElement>(null)
  const close = (): void => { actions().dialogClosed() }

  // Busy buttons stay focusable (aria-disabled): a disabled one under the focus would drop it out of the dialog.
  const attempt = async (join: () => Promise<unknown>): Promise<void> => {
    if (busy) return
    setBusy(true)
    setError(undefined)
    try {
      await join()
      close()
    } catch (err) {
      setError(joinProblem(err))
      setBusy(false)
    }
  }

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault()
    const link = uri.trim()
    // Someone's contact link is not a channel: take it where it belongs rather than refuse it.
    if (isContactLink(link)) {
      actions().dialogOpened({ kind: 'add-contact', link })
      return
    }
    if (!isInviteLink(link)) {
      setError({ text: 'Invite links start with bitchat:' })
      return
    }
    if (link.length > MAX_INVITE_LINK) {
      setError({ text: 'This link is too long to be a BitChat invite' })
      return
    }
    void attempt(() => joinChannel(client, { uri: link }))
  }

  const onFile = (event: ChangeEvent<HTMLInputElement>): void => {
    const file = event.target.files?.[0]
    event.target.value = ''
    if (file !== undefined) void attempt(() => joinChatFile(client, file))
  }

  return (
    <Modal title="Join a channel" description="Use the invite link or .chat file someone shared with you." onClose={close}>
      <form className="form" onSubmit={submit} noValidate>
        <Field label="Invite link" error={error?.text}>
          {props => <input {...props} type="text" className="mono" placeholder="bitchat:?v=3&n=…" spellCheck={false}
            autoComplete="off" value={uri} onChange={e => { setUri(e.target.value) }} data-autofocus />}
        </Field>
        {error?.detail !== undefined && <ErrorDetails detail={error.detail} />}
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={uri.trim() === ''} aria-disabled={busy || undefined}>{busy ? 'Joining…' : 'Join with link'}</button>
        </div>
        <div className="divider" role="presentation"><span>or</span></div>
        <div className="file-pick">
          <input ref={fileInput} type="file" accept=".chat" className="visually-hidden" tabIndex={-1}
            aria-hidden="true" onChange={onFile} data-testid="chat-file-input" />
          <button type="button" className="button button--block" aria-disabled={busy || undefined} onClick={() => { if (!busy) fileInput.current?.click() }}>
            <Icon name="file" size={18} /> Choose a .chat file…
          </button>
          <p className="field__hint">You can also drop a .chat file anywhere on the window.</p>
        </div>
      </form>
    </Modal>
  )
}
