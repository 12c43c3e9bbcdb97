import { useEffect, useState } from 'react'
import type { ChannelShare, Hex } from '../../../core/api/contract.ts'
import { useClient } from '../app/client-context.ts'
import { errorMessageOf } from '../client/api-call-error.ts'
import { base64ToBytes } from '../lib/base64.ts'
import { copyText } from '../lib/clipboard.ts'
import { saveBytes } from '../lib/download.ts'
import { actions, useAppStore } from '../store/store.ts'
import { Field } from './Field.tsx'
import { Icon } from './Icon.tsx'
import { Modal } from './Modal.tsx'

export function ShareChannelDialog ({ channelId }: { channelId: Hex }) {
  const client = useClient()
  const channel = useAppStore(s => s.channels.get(channelId))
  const [share, setShare] = useState<ChannelShare | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [copied, setCopied] = useState(false)
  const close = (): void => { actions().dialogClosed() }

  useEffect(() => {
    let live = true
    client.call('channels.share', { channelId }).then(
      result => { if (live) setShare(result) },
      (err: unknown) => { if (live) setError(errorMessageOf(err)) }
    )
    return () => { live = false }
  }, [client, channelId])

  const copy = async (): Promise<void> => {
    if (share === null) return
    try {
      await copyText(share.uri)
      setCopied(true)
    } catch (err) {
      actions().noticePosted('error', `Could not copy: ${errorMessageOf(err)}`)
    }
  }

  const save = (): void => {
    if (share !== null) saveBytes(share.fileName, base64ToBytes(share.data), 'application/x-bitchat')
  }

  const invite = channel?.mode === 'invite'
  return (
    <Modal title={<>Invite people to #<bdi>{channel?.name ?? 'channel'}</bdi></>} onClose={close}
      description={invite
        ? 'Only members listed when the channel was created can join, even with this link.'
        : 'Anyone with this link or file can join and read new messages. Share it privately.'}>
      {error !== null && <p className="form-error" role="alert">{error}</p>}
      {error === null && share === null && <p role="status" className="muted">Preparing invite…</p>}
      {share !== null && (
        <div className="form">
          <Field label="Invite link">
            {props => <input {...props} type="text" className="mono" readOnly value={share.uri} onFocus={e => { e.target.select() }} />}
          </Field>
          <div className="share-actions">
            <button type="button" className="button button--primary" onClick={() => { void copy() }} data-autofocus>
              <Icon name="copy" size={18} /> {copied ? 'Copied' : 'Copy link'}
            </button>
            <button type="button" className="button" onClick={save}>
              <Icon name="download" size={18} /> Save .chat file
            </button>
          </div>
          <p className="field__hint" role="status">{copied ? 'The link is on your clipboard.' : <>The file is saved as <bdi>{share.fileName}</bdi>.</>}</p>
        </div>
      )}
      <div className="share-contacts">
        <p className="field__hint">Or send an invitation to people in your contacts, in your private conversation with each.</p>
        <button type="button" className="button" onClick={() => { actions().dialogOpened({ kind: 'invite-people', channelId }) }}>
          <Icon name="user-plus" size={18} /> Invite contacts…
        </button>
      </div>
    </Modal>
  )
}
