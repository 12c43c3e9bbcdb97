/** The top of a conversation's history; `peerName` names the person of a private conversation. */
export function HistoryStart ({ channelName, peerName, complete }: { channelName: string; peerName?: string | undefined; complete: boolean }) {
  if (!complete) return <div className="history-start history-start--loading" role="status">Loading older messages…</div>
  if (peerName !== undefined) {
    return (
      <div className="history-start">
        <h2 className="history-start__title"><bdi>{peerName}</bdi></h2>
        <p className="history-start__text">This is the beginning of your private conversation. Only the two of you can read it: messages are end-to-end encrypted between you.</p>
      </div>
    )
  }
  return (
    <div className="history-start">
      <h2 className="history-start__title">Welcome to #<bdi>{channelName}</bdi></h2>
      <p className="history-start__text">This is the beginning of the channel. Messages are end-to-end encrypted between its members.</p>
    </div>
  )
}
