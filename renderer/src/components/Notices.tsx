import { useAppStore } from '../store/store.ts'
import { Toast } from './Toast.tsx'

export function Notices () {
  const notices = useAppStore(s => s.notices)
  return (
    <section className="toasts" aria-live="polite" aria-label="Notifications">
      <ul>{notices.map(notice => <Toast key={notice.id} notice={notice} />)}</ul>
    </section>
  )
}
