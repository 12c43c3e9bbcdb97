import { useState } from 'react'
import type { Hex } from '../../../core/api/contract.ts'
import { useClient } from '../app/client-context.ts'
import { leaveChannel } from '../app/commands.ts'
import { errorMessageOf } from '../client/api-call-error.ts'
import { privatePeerName, privatePeerOf } from '../lib/private-conversation.ts'
import { actions, useAppStore } from '../store/store.ts'
import { Modal } from './Modal.tsx'

/** Leaving a channel, or deleting a private conversation: either way its history on this device goes. */
export function LeaveChannelDialog ({ channelId }: { channelId: Hex }) {
  const client = useClient()
  const name = useAppStore(s => s.channels.get(channelId)?.name ?? 'this channel')
  const peerName = useAppStore(s => {
    const channel = s.channels.get(channelId)
    const peer = channel === undefined ? undefined : privatePeerOf(channel)
    return peer === undefined ? undefined : privatePeerName(peer, s.contacts)
  })
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const close = (): void => { actions().dialogClosed() }

  const leave = async (): Promise<void> => {
    if (busy) return
    setBusy(true)
    try {
      await leaveChannel(client, channelId)
      close()
    } catch (err) {
      setError(errorMessageOf(err))
      setBusy(false)
    }
  }

  const actionsRow = (
    <>
      {error !== null && <p className="form-error" role="alert">{error}</p>}
      <div className="form__actions">
        <button type="button" className="button" onClick={close} data-autofocus>Cancel</button>
        <button type="button" className="button button--danger" aria-disabled={busy || undefined} onClick={() => { void leave() }}>
          {peerName === undefined ? 'Leave and delete history' : 'Delete conversation'}
        </button>
      </div>
    </>
  )

  if (peerName !== undefined) {
    return (
      <Modal title={<>Delete your conversation with <bdi>{peerName}</bdi>?</>} onClose={close}
        description={<>
          Its history is deleted from this device, and it leaves your direct messages. <bdi>{peerName}</bdi> keeps
          their copy: if you message them again, the conversation comes back with what they kept.
        </>}>
        {actionsRow}
      </Modal>
    )
  }
  return (
    <Modal title={<>Leave #<bdi>{name}</bdi>?</>} onClose={close}
      description={<>
        Leaving deletes the messages of #<bdi>{name}</bdi> from this device, and you stop receiving new ones.
        Others in the channel keep theirs: if you join again later with its invite link or file, what they kept comes back.
      </>}>
      {actionsRow}
    </Modal>
  )
}
