import { useEffect } from 'react'
import { actions } from '../store/store.ts'
import type { Notice } from '../store/ui.ts'
import { ErrorDetails } from './ErrorDetails.tsx'
import { Icon } from './Icon.tsx'

const LIFETIME_MS: Record<Notice['tone'], number> = { info: 4000, error: 9000 }

export function Toast ({ notice }: { notice: Notice }) {
  useEffect(() => {
    const timer = setTimeout(() => { actions().noticeDismissed(notice.id) }, LIFETIME_MS[notice.tone])
    return () => { clearTimeout(timer) }
  }, [notice])
  return (
    <li className={`toast toast--${notice.tone}`}>
      <span className="toast__text">
        {notice.text}
        {notice.detail !== undefined && <ErrorDetails detail={notice.detail} />}
      </span>
      <button type="button" className="icon-button icon-button--small" aria-label="Dismiss" onClick={() => { actions().noticeDismissed(notice.id) }}>
        <Icon name="close" size={16} />
      </button>
    </li>
  )
}
