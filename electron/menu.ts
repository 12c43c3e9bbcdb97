// The application menu: the platform's usual roles, so copy/paste, zoom, and quit with
// CmdOrCtrl+Q work as people expect.
import type { MenuItemConstructorOptions } from 'electron'

export function appMenuTemplate (platform: string, appName = 'BitChat'): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin'
  const quit: MenuItemConstructorOptions = { role: 'quit', label: `Quit ${appName}`, accelerator: 'CmdOrCtrl+Q' }
  const first: MenuItemConstructorOptions = mac
    ? {
        label: appName,
        submenu: [
          { role: 'about' },
          { type: 'separator' },
          { role: 'services' },
          { type: 'separator' },
          { role: 'hide' },
          { role: 'hideOthers' },
          { role: 'unhide' },
          { type: 'separator' },
          quit
        ]
      }
    : { label: '&File', submenu: [quit] }
  return [
    first,
    {
      label: '&Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'pasteAndMatchStyle' },
        { role: 'delete' },
        { type: 'separator' },
        { role: 'selectAll' }
      ]
    },
    {
      label: '&View',
      submenu: [
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' }
      ]
    },
    {
      label: '&Window',
      role: 'window',
      submenu: mac
        ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }]
        : [{ role: 'minimize' }, { role: 'close' }]
    }
  ]
}
