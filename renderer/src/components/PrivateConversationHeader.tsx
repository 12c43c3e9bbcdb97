import type { ChannelSummary } from '../../../core/api/contract.ts'
import { privatePeerName, type PrivatePeer } from '../lib/private-conversation.ts'
import { relayName } from '../lib/relay-name.ts'
import { actions, useAppStore } from '../store/store.ts'
import { Avatar } from './Avatar.tsx'
import { PresenceDot } from './ChannelGlyphs.tsx'
import { FindButton } from './FindButton.tsx'
import { Icon } from './Icon.tsx'
import { MuteButton } from './MuteButton.tsx'
import { VerifiedBadge } from './PersonBadges.tsx'

/**
 * The head of a private conversation shows the person, not a channel: who they are to you (a
 * verified contact, a contact to verify, or someone to add), whether they are online, and the
 * one thing to do with the conversation itself, deleting it. Nobody can be invited into it.
 */
export function PrivateConversationHeader ({ channel, peer }: { channel: ChannelSummary; peer: PrivatePeer }) {
  const contact = useAppStore(s => s.contacts.get(peer.publicKey))
  const name = useAppStore(s => privatePeerName(peer, s.contacts))
  const online = channel.peerCount > 0
  const via = useAppStore(s => {
    const link = s.peers.get(channel.channelId)?.get(peer.publicKey)
    return link?.transport === 'relay' && link.via !== undefined ? relayName(link.via, s.contacts, s.peers) : null
  })
  const openContact = (view: 'details' | 'verify'): void => { actions().dialogOpened({ kind: 'contact', publicKey: peer.publicKey, view }) }
  const addContact = (): void => {
    actions().dialogOpened({ kind: 'add-contact', member: { publicKey: peer.publicKey, name: peer.name ?? '', fingerprint: peer.fingerprint } })
  }

  return (
    <header className="conversation__header conversation__header--private">
      <Avatar name={name} publicKey={peer.publicKey} size="sm" />
      <div className="conversation__title">
        <h1 className="conversation__name">
          <bdi dir="auto">{name}</bdi>
          {contact?.verified === true && <VerifiedBadge size={16} />}
          {contact?.blocked === true && <span className="tag tag--blocked">Blocked</span>}
        </h1>
        <p className="conversation__status">
          <span className="conversation__presence">
            <PresenceDot online={online} />
            <span className="conversation__peers" data-testid="peer-status">{online ? 'Online' : 'Offline'}</span>
          </span>
          {online && via !== null && (
            <span className="conversation__relay" data-testid="relay-status" title="The connection runs through another member, who passes your messages on without being able to read or change them">
              connected through <bdi dir="auto">{via}</bdi> (end-to-end encrypted)
            </span>
          )}
          <span className="conversation__fingerprint" title={`Fingerprint ${peer.fingerprint}`}>
            <span className="visually-hidden">Fingerprint </span>{peer.fingerprint}
          </span>
          {contact === undefined && (
            <button type="button" className="link-button" onClick={addContact}>Add to contacts</button>
          )}
          {contact !== undefined && !contact.verified && (
            <button type="button" className="link-button link-button--warning" onClick={() => { openContact('verify') }}>
              Not verified — compare safety codes
            </button>
          )}
        </p>
      </div>
      <div className="conversation__actions" role="toolbar" aria-label="Conversation actions">
        <FindButton />
        <MuteButton channel={channel} />
        {contact !== undefined && (
          <button type="button" className="icon-button" aria-label="Contact details" title="Contact details" onClick={() => { openContact('details') }}>
            <Icon name="info" />
          </button>
        )}
        <button type="button" className="icon-button" aria-label="Delete conversation" title="Delete conversation…"
          onClick={() => { actions().dialogOpened({ kind: 'leave', channelId: channel.channelId }) }}>
          <Icon name="trash" />
        </button>
      </div>
    </header>
  )
}
