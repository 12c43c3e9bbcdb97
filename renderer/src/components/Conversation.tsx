import type { ChannelSummary } from '../../../core/api/contract.ts'
import { Composer } from './Composer.tsx'
import { ConversationHeader } from './ConversationHeader.tsx'
import { MessageAnnouncer } from './MessageAnnouncer.tsx'
import { MessageList } from './MessageList.tsx'
import { NotMemberNotice } from './NotMemberNotice.tsx'

export function Conversation ({ channel }: { channel: ChannelSummary }) {
  const notMember = channel.access === 'not-member'
  return (
    <section className="conversation" aria-label={`Conversation in ${channel.name}`}>
      <ConversationHeader channel={channel} />
      {notMember
        ? <NotMemberNotice channel={channel} />
        : <MessageList key={channel.channelId} channelId={channel.channelId} channelName={channel.name} />}
      <MessageAnnouncer key={`announcer-${channel.channelId}`} channelId={channel.channelId} />
      <Composer key={`composer-${channel.channelId}`} channelId={channel.channelId} channelName={channel.name}
        disabledReason={notMember ? 'You are not a member of this channel, so nobody would receive your messages.' : undefined} />
    </section>
  )
}
