import type { ChannelSummary } from '../../../core/api/contract.ts'
import { Composer } from './Composer.tsx'
import { ConversationHeader } from './ConversationHeader.tsx'
import { MessageAnnouncer } from './MessageAnnouncer.tsx'
import { MessageList } from './MessageList.tsx'

export function Conversation ({ channel }: { channel: ChannelSummary }) {
  return (
    <section className="conversation" aria-label={`Conversation in ${channel.name}`}>
      <ConversationHeader channel={channel} />
      <MessageList key={channel.channelId} channelId={channel.channelId} channelName={channel.name} />
      <MessageAnnouncer key={`announcer-${channel.channelId}`} channelId={channel.channelId} />
      <Composer key={`composer-${channel.channelId}`} channelId={channel.channelId} channelName={channel.name} />
    </section>
  )
}
