// "Lock after N minutes idle": a choice kept in this window's storage, off unless chosen.
export const AUTO_LOCK_CHOICES = [0, 1, 5, 15, 30, 60] as const

const STORAGE_KEY = 'bitchat.autoLockMinutes'

/** Minutes of no input before the window locks; 0 is off (also for anything unreadable). */
export function readAutoLockMinutes (): number {
  try {
    const value = Number(localStorage.getItem(STORAGE_KEY))
    return (AUTO_LOCK_CHOICES as readonly number[]).includes(value) ? value : 0
  } catch {
    return 0
  }
}

export function writeAutoLockMinutes (minutes: number): void {
  try {
    if (minutes === 0) localStorage.removeItem(STORAGE_KEY)
    else localStorage.setItem(STORAGE_KEY, String(minutes))
  } catch {
    // Storage refused (a private window): the choice lasts until the window closes.
  }
}
