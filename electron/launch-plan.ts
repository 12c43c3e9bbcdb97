// Decisions `npm start` makes before launching anything: whether Electron can show a window
// here, and where the web UI fallback keeps its data.
import path from 'node:path'

/** Why no Electron window can open on this machine, or null when one might. */
export function missingDisplayReason (platform: string, env: Record<string, string | undefined>): string | null {
  if (platform !== 'linux') return null
  if ((env.DISPLAY ?? '') !== '' || (env.WAYLAND_DISPLAY ?? '') !== '') return null
  return 'there is no graphical display (neither DISPLAY nor WAYLAND_DISPLAY is set)'
}

/** The web UI fallback's data folder: $XDG_DATA_HOME/bitchat-web, else ~/.local/share/bitchat-web. */
export function webDataDir (env: Record<string, string | undefined>, home: string): string {
  const xdg = env.XDG_DATA_HOME ?? ''
  const base = path.isAbsolute(xdg) ? xdg : path.join(home, '.local', 'share')
  return path.join(base, 'bitchat-web')
}
