export function UnreadDivider () {
  return (
    <div className="unread-divider" role="separator" aria-label="New messages" data-testid="unread-divider">
      <span className="unread-divider__label">New messages</span>
    </div>
  )
}
