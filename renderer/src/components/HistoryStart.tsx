export function HistoryStart ({ channelName, complete }: { channelName: string; complete: boolean }) {
  if (!complete) return <div className="history-start history-start--loading" role="status">Loading older messages…</div>
  return (
    <div className="history-start">
      <h2 className="history-start__title">Welcome to #<bdi>{channelName}</bdi></h2>
      <p className="history-start__text">This is the beginning of the channel. Messages are end-to-end encrypted between its members.</p>
    </div>
  )
}
