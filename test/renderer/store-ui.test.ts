import { afterEach, describe, expect, it, vi } from 'vitest'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { initialUiState } from '../../renderer/src/store/ui.ts'
import { hex } from './helpers/fake-core.ts'

describe('ui slice', () => {
  afterEach(() => { vi.unstubAllGlobals() })

  it('starts with the members panel closed in a window too narrow to show it beside the conversation', () => {
    vi.stubGlobal('matchMedia', (query: string) => ({ matches: query === '(max-width: 1080px)' }))
    expect(initialUiState().membersOpen).toBe(false)
    vi.stubGlobal('matchMedia', () => ({ matches: false }))
    expect(initialUiState().membersOpen).toBe(true)
  })

  it('records the connection state', () => {
    actions().connectionChanged('disconnected')
    expect(useAppStore.getState().connection).toBe('disconnected')
  })

  it('drops the unread marker when another channel is selected', () => {
    actions().channelSelected(hex(1))
    actions().unreadMarkerSet({ channelId: hex(1), messageId: hex(5) })
    actions().channelSelected(hex(1))
    expect(useAppStore.getState().unreadMarker).not.toBeNull()
    actions().channelSelected(hex(2))
    expect(useAppStore.getState()).toMatchObject({ activeChannelId: hex(2), unreadMarker: null })
  })

  it('opens and closes one dialog at a time', () => {
    actions().dialogOpened({ kind: 'create' })
    actions().dialogOpened({ kind: 'share', channelId: hex(1) })
    expect(useAppStore.getState().dialog).toEqual({ kind: 'share', channelId: hex(1) })
    actions().dialogClosed()
    expect(useAppStore.getState().dialog).toBeNull()
  })

  it('toggles the members panel or sets it explicitly', () => {
    const start = useAppStore.getState().membersOpen
    actions().membersToggled()
    expect(useAppStore.getState().membersOpen).toBe(!start)
    actions().membersToggled(true)
    expect(useAppStore.getState().membersOpen).toBe(true)
  })

  it('keeps a draft per channel and forgets an emptied one', () => {
    actions().draftChanged(hex(1), 'hello')
    actions().draftChanged(hex(2), 'other')
    actions().draftChanged(hex(2), '')
    const drafts = useAppStore.getState().drafts
    expect(drafts.get(hex(1))).toBe('hello')
    expect(drafts.has(hex(2))).toBe(false)
  })

  it('keeps only the latest four notices and dismisses by id', () => {
    const ids = [1, 2, 3, 4, 5].map(n => actions().noticePosted('info', `notice ${n}`))
    expect(useAppStore.getState().notices.map(n => n.text)).toEqual(['notice 2', 'notice 3', 'notice 4', 'notice 5'])
    actions().noticeDismissed(ids[2]!)
    expect(useAppStore.getState().notices.map(n => n.text)).toEqual(['notice 2', 'notice 4', 'notice 5'])
  })

  it('remembers the theme choice', () => {
    actions().themeChanged('dark')
    expect(useAppStore.getState().theme).toBe('dark')
  })
})
