import { useId } from 'react'
import type { ChannelSummary } from '../../../core/api/contract.ts'
import { useAppStore } from '../store/store.ts'
import { CopyKeyButton } from './CopyKeyButton.tsx'
import { Icon } from './Icon.tsx'

/** Whom to ask for an invite, by name when the core knows it, always with the fingerprint to check. */
export function creatorLabel (creator: ChannelSummary['creator']): string {
  if (creator === undefined) return 'its creator'
  return `${creator.name ?? 'its creator'} (fingerprint ${creator.fingerprint})`
}

/**
 * In place of the conversation of an invite-only channel whose list does not hold our key: its
 * members refuse our sessions, so nothing would ever arrive or leave. Says why and what to do.
 */
export function NotMemberNotice ({ channel }: { channel: ChannelSummary }) {
  const titleId = useId()
  const publicKey = useAppStore(s => s.identityStatus?.identity?.publicKey)
  return (
    <section className="empty-state not-member" role="status" aria-labelledby={titleId}>
      <div className="empty-state__art" aria-hidden="true"><Icon name="lock" size={40} /></div>
      <h2 className="empty-state__title" id={titleId}>You are not a member of this channel</h2>
      <p className="empty-state__text">
        <bdi>{channel.name}</bdi> is invite-only, and its member list does not hold your key, so its members will not let
        you in. Ask <bdi>{creatorLabel(channel.creator)}</bdi> to add you, then join again with the invite they send.
      </p>
      {publicKey !== undefined && (
        <div className="not-member__key">
          <span className="field__label">Your public key, to send them</span>
          <span className="not-member__key-row">
            <code className="mono not-member__key-value">{publicKey}</code>
            <CopyKeyButton publicKey={publicKey} label="Copy your public key" />
          </span>
        </div>
      )}
    </section>
  )
}
