// Locking: the core locks every client out (identity.lock: other windows and tabs too) while it keeps
// running, this window goes behind the unlock screen at once, and only the identity's passphrase
// (identity.unlock) brings it back.
import { useEffect } from 'react'
import type { BitChatClient } from '../../../core/api/contract.ts'
import { errorMessageOf } from '../client/api-call-error.ts'
import { useClient } from './client-context.ts'
import { actions, useAppStore } from '../store/store.ts'

export const LOCK_SHORTCUT_LABEL = 'Ctrl+L'
export const NO_PASSPHRASE_TO_LOCK = 'Set a passphrase first (Settings → Passphrase): without one, anyone could open a locked BitChat.'

/** Locks when the identity has a passphrase; otherwise says why it cannot. Returns whether it locked. */
export function lockNow (client: BitChatClient): boolean {
  if (actions().identityStatus?.identity?.encrypted !== true) {
    actions().noticePosted('info', NO_PASSPHRASE_TO_LOCK)
    return false
  }
  actions().lockSet(true)
  client.call('identity.lock', {}).catch((err: unknown) => { actions().noticePosted('error', 'Other windows and tabs could not be locked.', errorMessageOf(err)) })
  return true
}

const ACTIVITY = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const

/** Ctrl+L locks; with a passphrase and a chosen idle time, so does that long without input. */
export function useLock (): void {
  const client = useClient()
  const minutes = useAppStore(s => s.autoLockMinutes)
  const encrypted = useAppStore(s => s.identityStatus?.identity?.encrypted === true)
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      // Ctrl on every system: ⌘L is the address bar in a browser and too close to habit.
      if (!event.ctrlKey || event.altKey || event.shiftKey || event.metaKey) return
      if (event.key.toLowerCase() !== 'l' && event.code !== 'KeyL') return
      event.preventDefault()
      lockNow(client)
    }
    window.addEventListener('keydown', onKeyDown)
    return () => { window.removeEventListener('keydown', onKeyDown) }
  }, [client])

  useEffect(() => {
    if (!encrypted || minutes <= 0) return
    let timer: ReturnType<typeof setTimeout> | null = null
    const restart = (): void => {
      if (timer !== null) clearTimeout(timer)
      timer = setTimeout(() => { lockNow(client) }, minutes * 60_000)
    }
    restart()
    for (const type of ACTIVITY) window.addEventListener(type, restart, { passive: true })
    return () => {
      if (timer !== null) clearTimeout(timer)
      for (const type of ACTIVITY) window.removeEventListener(type, restart)
    }
  }, [client, encrypted, minutes])
}
