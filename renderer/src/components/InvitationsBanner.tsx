import { useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { pendingInvitations } from '../store/invitations.ts'
import { actions, useAppStore } from '../store/store.ts'
import { Icon } from './Icon.tsx'
import { InvitationCard } from './InvitationCard.tsx'

const canAskForNotifications = (): boolean => typeof Notification !== 'undefined' && Notification.permission === 'default'

/** Pending invitations above the conversation: one shows whole, several collapse into a count that opens their list. */
export function InvitationsBanner () {
  const pending = useAppStore(useShallow(s => pendingInvitations(s.invitations)))
  const [askable, setAskable] = useState(canAskForNotifications)
  const first = pending[0]
  if (first === undefined) return null
  const ask = (): void => {
    void Notification.requestPermission().finally(() => { setAskable(canAskForNotifications()) })
  }
  return (
    <section className="invitations-banner" aria-label="Invitations">
      {pending.length === 1
        ? <InvitationCard key={first.invitationId} invitation={first} />
        : (
          <div className="invitation">
            <Icon name="user-plus" size={18} />
            <p className="invitation__text"><strong>{pending.length} invitations</strong> are waiting for your answer.</p>
            <div className="invitation__actions">
              <button type="button" className="button button--small button--primary" onClick={() => { actions().dialogOpened({ kind: 'invitations' }) }}>
                Show invitations
              </button>
            </div>
          </div>
          )}
      {askable && (
        <button type="button" className="link-button invitations-banner__ask" onClick={ask}>
          Notify me of invitations when BitChat is in the background
        </button>
      )}
    </section>
  )
}
