import { test } from 'node:test'
import assert from 'node:assert/strict'
import { missingDisplayReason, webDataDir } from '../../electron/launch-plan.ts'

test('Linux without DISPLAY or WAYLAND_DISPLAY has no display, with the reason', () => {
  assert.match(missingDisplayReason('linux', {}) ?? '', /DISPLAY/)
  assert.match(missingDisplayReason('linux', { DISPLAY: '' }) ?? '', /DISPLAY/)
})

test('Linux with X11 or Wayland, macOS and Windows may open a window', () => {
  assert.equal(missingDisplayReason('linux', { DISPLAY: ':0' }), null)
  assert.equal(missingDisplayReason('linux', { WAYLAND_DISPLAY: 'wayland-0' }), null)
  assert.equal(missingDisplayReason('darwin', {}), null)
  assert.equal(missingDisplayReason('win32', {}), null)
})

test('the web fallback keeps its data under XDG_DATA_HOME, else ~/.local/share', () => {
  assert.equal(webDataDir({ XDG_DATA_HOME: '/data' }, '/home/a'), '/data/bitchat-web')
  assert.equal(webDataDir({}, '/home/a'), '/home/a/.local/share/bitchat-web')
  assert.equal(webDataDir({ XDG_DATA_HOME: 'relative' }, '/home/a'), '/home/a/.local/share/bitchat-web')
})
