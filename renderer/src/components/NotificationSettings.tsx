import { useId, useState } from 'react'
import { browserNotifications, chooseNotifications, notificationsOn } from '../app/web-notifications.ts'
import { Switch } from './Switch.tsx'

/**
 * "Show notifications" in the web UI: turning it on asks the browser for permission (a browser asks
 * only from a user action). The desktop app notifies from its main process and shows no such switch.
 */
export function NotificationSettings () {
  const api = browserNotifications()
  const hintId = useId()
  const [on, setOn] = useState(() => notificationsOn(api))
  const [asking, setAsking] = useState(false)
  if (api === null) return null
  const denied = api.permission === 'denied'
  const change = async (wanted: boolean): Promise<void> => {
    setAsking(true)
    try {
      setOn(await chooseNotifications(api, wanted))
    } finally {
      setAsking(false)
    }
  }
  return (
    <section className="settings-section" aria-labelledby="settings-notifications">
      <h3 className="settings-section__title" id="settings-notifications">Notifications</h3>
      <Switch label="Show notifications" checked={on} busy={asking || denied} describedBy={hintId} onChange={wanted => { void change(wanted) }} />
      <p className="field__hint" id={hintId}>
        {denied
          ? 'Your browser blocks notifications from this page. Allow them in the browser’s settings for this site, then turn this on.'
          : 'New messages and mentions of you, while this tab is in the background. Muted conversations notify only mentions of you.'}
      </p>
    </section>
  )
}
