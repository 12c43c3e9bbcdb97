import { useState } from 'react'
import type { InvitationInfo } from '../../../core/api/contract.ts'
import { useClient } from '../app/client-context.ts'
import { acceptInvitation, declineInvitation, invitationProblem } from '../app/invitations.ts'
import { errorMessageOf } from '../client/api-call-error.ts'
import { invitationScope, inviterName } from '../lib/invitation-text.ts'
import { actions, useAppStore } from '../store/store.ts'
import { ChannelModeIcon } from './ChannelGlyphs.tsx'
import { ErrorDetails } from './ErrorDetails.tsx'
import { VerifiedBadge } from './PersonBadges.tsx'

interface Problem { text: string; detail: string }

/** One invitation with its two answers; Join opens the channel. */
export function InvitationCard ({ invitation, onAnswered }: { invitation: InvitationInfo; onAnswered?: (verb: 'join' | 'decline') => void }) {
  const client = useClient()
  const contact = useAppStore(s => s.contacts.get(invitation.from.publicKey))
  const from = useAppStore(s => inviterName(invitation, s.contacts))
  const [busy, setBusy] = useState<'join' | 'decline' | null>(null)
  const [problem, setProblem] = useState<Problem | null>(null)

  const answer = async (verb: 'join' | 'decline'): Promise<void> => {
    if (busy !== null) return
    setBusy(verb)
    setProblem(null)
    try {
      if (verb === 'join') await acceptInvitation(client, invitation)
      else await declineInvitation(client, invitation)
      onAnswered?.(verb)
    } catch (err) {
      const text = invitationProblem(verb, invitation, err)
      // A vanished invitation leaves the screen with it: say so where it is still seen.
      if (!actions().invitations.has(invitation.invitationId)) actions().noticePosted('error', text)
      else setProblem({ text, detail: errorMessageOf(err) })
      setBusy(null)
    }
  }

  const titleId = `invitation-${invitation.invitationId}`
  return (
    <article className="invitation" aria-labelledby={titleId} data-testid="invitation">
      <ChannelModeIcon mode={invitation.mode} size={18} />
      <div className="invitation__text">
        <p id={titleId}>
          <bdi dir="auto" className="invitation__from">{from}</bdi>
          {contact?.verified === true && <VerifiedBadge />}
          {' invited you to '}
          <strong>#<bdi dir="auto">{invitation.name}</bdi></strong>
          <span className="invitation__scope"> ({invitationScope(invitation)})</span>
        </p>
        {contact === undefined && (
          <p className="invitation__hint">Not in your contacts. Their fingerprint starts {invitation.from.fingerprint.split(' ')[0]}.</p>
        )}
        {problem !== null && (
          <p className="form-error invitation__error" role="alert">{problem.text} <ErrorDetails detail={problem.detail} /></p>
        )}
      </div>
      <div className="invitation__actions">
        <button type="button" className="button button--small button--primary" aria-disabled={busy !== null || undefined}
          onClick={() => { void answer('join') }} aria-describedby={titleId}>
          {busy === 'join' ? 'Joining…' : 'Join'}
        </button>
        <button type="button" className="button button--small" aria-disabled={busy !== null || undefined}
          onClick={() => { void answer('decline') }} aria-describedby={titleId}>
          {busy === 'decline' ? 'Declining…' : 'Decline'}
        </button>
      </div>
    </article>
  )
}
