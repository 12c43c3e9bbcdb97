import { useState } from 'react'
import type { Hex } from '../../../core/api/contract.ts'
import { useClient } from '../app/client-context.ts'
import { deleteMessage } from '../app/message-actions.ts'
import { errorMessageOf } from '../client/api-call-error.ts'
import { actions, useAppStore } from '../store/store.ts'
import { Modal } from './Modal.tsx'

/** Deleting one of our messages for everyone: asked first, since it cannot be undone. */
export function DeleteMessageDialog ({ channelId, messageId }: { channelId: Hex; messageId: Hex }) {
  const client = useClient()
  const message = useAppStore(s => s.messages.get(channelId)?.list.find(m => m.messageId === messageId))
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const close = (): void => { actions().dialogClosed() }

  const remove = async (): Promise<void> => {
    if (busy || message === undefined) return
    setBusy(true)
    try {
      await deleteMessage(client, message)
      close()
    } catch (err) {
      setError(errorMessageOf(err))
      setBusy(false)
    }
  }

  return (
    <Modal title="Delete for everyone?" onClose={close}
      description="The message is deleted from this device and from every member’s, and shows as “This message was deleted”. This cannot be undone.">
      {message !== undefined && message.deleted !== true && <blockquote className="message-details__quote" dir="auto">{message.text}</blockquote>}
      {error !== null && <p className="form-error" role="alert">Could not delete it: {error}</p>}
      <div className="form__actions">
        <button type="button" className="button" onClick={close} data-autofocus>Cancel</button>
        <button type="button" className="button button--danger" aria-disabled={busy || message === undefined || undefined} onClick={() => { void remove() }}>
          Delete for everyone
        </button>
      </div>
    </Modal>
  )
}
