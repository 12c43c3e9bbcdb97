import { useEffect } from 'react'
import type { ChannelSummary } from '../../../core/api/contract.ts'
import { privatePeerName, privatePeerOf } from '../lib/private-conversation.ts'
import { actions, useAppStore } from '../store/store.ts'
import { Composer } from './Composer.tsx'
import { ConversationHeader } from './ConversationHeader.tsx'
import { FindBar } from './FindBar.tsx'
import { MessageAnnouncer } from './MessageAnnouncer.tsx'
import { MessageList } from './MessageList.tsx'
import { NotMemberNotice } from './NotMemberNotice.tsx'
import { PrivateConversationHeader } from './PrivateConversationHeader.tsx'
import { TypingIndicator } from './TypingIndicator.tsx'

export function Conversation ({ channel }: { channel: ChannelSummary }) {
  const notMember = channel.access === 'not-member'
  const peer = privatePeerOf(channel)
  const peerName = useAppStore(s => peer === undefined ? undefined : privatePeerName(peer, s.contacts))
  const findOpen = useAppStore(s => s.findOpen)
  // Find belongs to one conversation: opening another closes it.
  useEffect(() => () => { actions().findToggled(false) }, [channel.channelId])
  return (
    <section className="conversation" aria-label={peerName === undefined ? `Conversation in ${channel.name}` : `Conversation with ${peerName}`}>
      {peer === undefined ? <ConversationHeader channel={channel} /> : <PrivateConversationHeader channel={channel} peer={peer} />}
      {findOpen && !notMember && <FindBar key={`find-${channel.channelId}`} channelId={channel.channelId} placeholder={peerName === undefined ? `Find in #${channel.name}` : `Find in your conversation with ${peerName}`} />}
      {notMember
        ? <NotMemberNotice channel={channel} />
        : <MessageList key={channel.channelId} channelId={channel.channelId} channelName={channel.name} peerName={peerName} />}
      {!notMember && <TypingIndicator channelId={channel.channelId} />}
      <MessageAnnouncer key={`announcer-${channel.channelId}`} channelId={channel.channelId} />
      <Composer key={`composer-${channel.channelId}`} channelId={channel.channelId} channelName={channel.name} peerName={peerName}
        disabledReason={notMember ? 'You are not a member of this channel, so nobody would receive your messages.' : undefined} />
    </section>
  )
}
