import { useEffect } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { pendingInvitations } from '../store/invitations.ts'
import { actions, useAppStore } from '../store/store.ts'
import { InvitationCard } from './InvitationCard.tsx'
import { Modal } from './Modal.tsx'

/** Every pending invitation; joining one opens its channel and closes the list. */
export function InvitationsDialog () {
  const pending = useAppStore(useShallow(s => pendingInvitations(s.invitations)))
  const close = (): void => { actions().dialogClosed() }
  const empty = pending.length === 0
  useEffect(() => { if (empty) actions().dialogClosed() }, [empty])
  return (
    <Modal title="Invitations" description="People who invited you to a channel. Joining opens it here." onClose={close}>
      <ul className="invitation-list">
        {pending.map(invitation => (
          <li key={invitation.invitationId}>
            <InvitationCard invitation={invitation} onAnswered={verb => { if (verb === 'join') close() }} />
          </li>
        ))}
      </ul>
    </Modal>
  )
}
