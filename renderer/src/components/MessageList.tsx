import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import type { Hex, MessageInfo } from '../../../core/api/contract.ts'
import { useClient } from '../app/client-context.ts'
import { loadNewerMessages, loadOlderMessages, markRead, showLatest } from '../app/commands.ts'
import { MessageListContext } from '../app/message-list-context.ts'
import { openMessage } from '../app/search.ts'
import { useChannelPeople } from '../app/use-channel-people.ts'
import { buildRows, estimateRowHeight, type Row } from '../lib/message-rows.ts'
import { prefixOffsets, rowAt, visibleRange } from '../lib/virtual-window.ts'
import { EMPTY_CHANNEL_MESSAGES } from '../store/messages.ts'
import { NOTHING_SENDING } from '../store/sending.ts'
import { actions, useAppStore } from '../store/store.ts'
import { DaySeparator } from './DaySeparator.tsx'
import { HistoryStart } from './HistoryStart.tsx'
import { Icon } from './Icon.tsx'
import { MessageItem } from './MessageItem.tsx'
import { UnreadDivider } from './UnreadDivider.tsx'

const OVERSCAN = 8
// Within this distance of the bottom the list counts as "following" and sticks to new messages.
const PIN_THRESHOLD = 48
// Within this distance of either end of what is loaded, the next page that way is fetched.
const LOAD_OLDER_WITHIN = 800
const UNREAD_MARGIN = 16
// Reading along clears the badge, but not once per message of a burst.
const MARK_READ_DELAY_MS = 400
// How long a message jumped to (from a reply's quote, a search result) stays highlighted.
const FLASH_MS = 1600
// A message asked for is shown this far down the viewport: read with what led to it above.
const FOCUS_AT = 1 / 3

interface Anchor { key: string; delta: number }

// The spacer plus the viewport's padding; where layout is not computed (tests) the rows alone.
const contentHeight = (el: HTMLElement, rowsHeight: number): number => Math.max(rowsHeight, el.scrollHeight)

/**
 * The conversation, windowed: only rows near the viewport are in the DOM, placed at offsets from
 * measured (or, until measured, estimated) heights. While reading history the first visible row
 * is held still as rows above it are measured or older pages arrive; at the bottom it follows new messages.
 */
export function MessageList ({ channelId, channelName, peerName }: { channelId: Hex; channelName: string; peerName?: string | undefined }) {
  const client = useClient()
  const data = useAppStore(s => s.messages.get(channelId)) ?? EMPTY_CHANNEL_MESSAGES
  const marker = useAppStore(s => s.unreadMarker)
  const unread = useAppStore(s => s.channels.get(channelId)?.unread ?? 0)
  // A message asked for (a search result, find's match) is scrolled to once its row is there.
  const focus = useAppStore(s => s.messageFocus?.channelId === channelId ? s.messageFocus : null)
  const focusDone = useRef(0)
  const firstUnreadId = marker !== null && marker.channelId === channelId ? marker.messageId : null
  const people = useChannelPeople(channelId)
  const contacts = useAppStore(s => s.contacts)
  // Messages of someone blocked are not shown, including those that arrived before the block.
  const shown = useMemo(() => {
    const blocked = new Set([...contacts.values()].filter(c => c.blocked).map(c => c.publicKey))
    return blocked.size === 0 ? data.list : data.list.filter(m => !blocked.has(m.author))
  }, [data.list, contacts])

  const sendingNow = useAppStore(s => s.sending.get(channelId)) ?? NOTHING_SENDING
  const identity = useAppStore(s => s.identityStatus?.identity)
  // Drawn as the message will be once stored, under our own name; the core gives it its seq and id.
  const sending = useMemo<MessageInfo[]>(() => sendingNow.map(m => ({
    messageId: m.localId, channelId, author: identity?.publicKey ?? '', authorName: identity?.name ?? '',
    text: m.text, timestamp: m.timestamp, seq: 0, own: true, ...(m.replyTo === undefined ? {} : { replyTo: m.replyTo })
  })), [sendingNow, channelId, identity])

  const rows = useMemo<Row[]>(() => [
    { kind: 'history', key: 'history', complete: !data.hasMore },
    ...buildRows(shown, firstUnreadId, sending)
  ], [shown, data.hasMore, firstUnreadId, sending])
  const indexByKey = useMemo(() => new Map(rows.map((row, i) => [row.key, i])), [rows])

  const estimates = useMemo(() => rows.map(estimateRowHeight), [rows])
  const heights = useRef(new Map<string, number>())
  const [measureVersion, setMeasureVersion] = useState(0)
  const offsets = useMemo(
    () => prefixOffsets(rows.map((row, i) => heights.current.get(row.key) ?? estimates[i] ?? 0)),
    // measureVersion stands for the contents of the heights ref, which a dependency list cannot see.
    [rows, estimates, measureVersion]
  )
  const total = offsets[rows.length] ?? 0

  const viewport = useRef<HTMLDivElement>(null)
  const [view, setView] = useState({ top: 0, height: 0 })
  const [viewportHeight, setViewportHeight] = useState(0)
  // Where the list is a window that stops before the newest message there is no newest to follow.
  const following = useRef(!data.hasNewer)
  const [atBottom, setAtBottom] = useState(true)
  const anchor = useRef<Anchor | null>(null)
  // Where the list last placed itself. The scroll event of that placement (its own, or the browser
  // clamping to it as rows were measured shorter) can arrive after the viewport shrank (a growing
  // composer): it must not read as the reader scrolling away from the newest message.
  const ownScrollTop = useRef<number | null>(null)
  const [placed, setPlaced] = useState(false)
  // "Jump to latest" was asked for from a window far back: the newest messages are on their way.
  const wantLatest = useRef(false)

  const [rowObserver] = useState(() => typeof ResizeObserver === 'undefined'
    ? null
    : new ResizeObserver(entries => {
      let changed = false
      for (const entry of entries) {
        const el = entry.target as HTMLElement
        const key = el.dataset.key
        const height = entry.borderBoxSize[0]?.blockSize ?? el.getBoundingClientRect().height
        if (key === undefined || height <= 0 || Math.abs((heights.current.get(key) ?? -1) - height) < 0.5) continue
        heights.current.set(key, height)
        changed = true
      }
      if (changed) setMeasureVersion(v => v + 1)
    }))
  useEffect(() => () => { rowObserver?.disconnect() }, [rowObserver])

  useEffect(() => {
    const el = viewport.current
    if (el === null || typeof ResizeObserver === 'undefined') return
    const observer = new ResizeObserver(() => { setViewportHeight(el.clientHeight) })
    observer.observe(el)
    return () => { observer.disconnect() }
  }, [])

  const observeRow = useCallback((el: HTMLDivElement | null) => {
    if (el === null || rowObserver === null) return
    rowObserver.observe(el)
    return () => { rowObserver.unobserve(el) }
  }, [rowObserver])

  const follow = (value: boolean): void => {
    following.current = value
    setAtBottom(value)
  }

  const unreadTop = (): number | undefined => {
    const index = indexByKey.get('unread')
    return index === undefined ? undefined : Math.max(0, (offsets[index] ?? 0) - UNREAD_MARGIN)
  }

  // Decides the scroll position before paint whenever row geometry or the viewport changes.
  useLayoutEffect(() => {
    const el = viewport.current
    if (el === null) return
    const height = el.clientHeight
    const bottom = Math.max(0, contentHeight(el, total) - height)
    let top = el.scrollTop
    if (wantLatest.current && !data.hasNewer && !data.loading) {
      wantLatest.current = false
      following.current = true
      setAtBottom(true)
    }
    // Not before the channel's load is in: messages cached while it was closed come before its unread marker.
    if (!placed && !data.loading && data.list.length > 0) {
      setPlaced(true)
      const toUnread = unreadTop()
      top = toUnread !== undefined ? Math.min(toUnread, bottom) : bottom
      following.current = !data.hasNewer && top >= bottom - PIN_THRESHOLD
      setAtBottom(following.current)
      // What was scrolled to before the load came in is no place to hold still.
      const index = rowAt(offsets, top)
      anchor.current = { key: rows[index]?.key ?? 'history', delta: (offsets[index] ?? 0) - top }
    } else if (following.current) {
      top = bottom
    } else if (anchor.current !== null) {
      const index = indexByKey.get(anchor.current.key)
      if (index !== undefined) top = Math.min(bottom, Math.max(0, (offsets[index] ?? 0) - anchor.current.delta))
    }
    if (Math.abs(el.scrollTop - top) > 0.5) el.scrollTop = top
    ownScrollTop.current = el.scrollTop
    setView(v => v.top === top && v.height === height ? v : { top, height })
  }, [offsets, indexByKey, total, viewportHeight, data.list.length, data.loading, data.hasNewer, placed])

  // A window far back that does not fill the viewport gives no scroll to fetch the next page with;
  // where it will be is not known until a message asked for is scrolled to.
  const focusPending = focus !== null && focusDone.current !== focus.serial
  useEffect(() => {
    if (placed && !focusPending && data.hasNewer && !data.loading && total - view.top - view.height < LOAD_OLDER_WITHIN) void loadNewerMessages(client, channelId)
  }, [placed, focusPending, data.hasNewer, data.loading, total, view, client, channelId])

  // Messages count as seen once the newest is in view in a visible window; until then they stay unread.
  const seenAll = placed && atBottom && !data.hasNewer && unread > 0
  useEffect(() => {
    if (!seenAll) return
    let timer: ReturnType<typeof setTimeout> | undefined
    const markSoon = (): void => {
      if (document.visibilityState !== 'visible' || timer !== undefined) return
      timer = setTimeout(() => { void markRead(client, channelId) }, MARK_READ_DELAY_MS)
    }
    markSoon()
    document.addEventListener('visibilitychange', markSoon)
    return () => {
      clearTimeout(timer)
      document.removeEventListener('visibilitychange', markSoon)
    }
  }, [seenAll, client, channelId])

  const onScroll = (): void => {
    const el = viewport.current
    if (el === null) return
    const top = el.scrollTop
    const height = el.clientHeight
    const ownMove = ownScrollTop.current !== null && Math.abs(top - ownScrollTop.current) < 1
    ownScrollTop.current = null
    const toEnd = contentHeight(el, total) - top - height
    if (!ownMove) follow(!data.hasNewer && toEnd < PIN_THRESHOLD)
    const index = rowAt(offsets, top)
    const row = rows[index]
    if (row !== undefined) anchor.current = { key: row.key, delta: (offsets[index] ?? 0) - top }
    setView(v => v.top === top && v.height === height ? v : { top, height })
    if (top < LOAD_OLDER_WITHIN && data.hasMore && !data.loading && data.list.length > 0) {
      void loadOlderMessages(client, channelId)
    }
    if (toEnd < LOAD_OLDER_WITHIN && data.hasNewer && !data.loading) void loadNewerMessages(client, channelId)
  }

  const scrollTo = (top: number): void => {
    const el = viewport.current
    if (el === null) return
    el.scrollTop = top
    onScroll()
  }

  // The context's functions keep their identity: they read the latest rows and names through this ref.
  const latest = useRef({ indexByKey, offsets, people, scrollTo })
  latest.current = { indexByKey, offsets, people, scrollTo }
  const [flash, setFlash] = useState<string | null>(null)
  useEffect(() => {
    if (flash === null) return
    const timer = setTimeout(() => { setFlash(null) }, FLASH_MS)
    return () => { clearTimeout(timer) }
  }, [flash])
  const context = useMemo<MessageListContext>(() => ({
    jumpTo: messageId => {
      const { indexByKey, offsets, scrollTo } = latest.current
      const index = indexByKey.get(messageId)
      if (index === undefined) {
        // Further back than what is loaded: the history around it is fetched, and the list goes there.
        void openMessage(client, channelId, messageId).then(found => {
          if (!found) actions().noticePosted('info', 'The original message is not available here any more.')
        })
        return true
      }
      follow(false)
      scrollTo(Math.max(0, (offsets[index] ?? 0) - UNREAD_MARGIN * 3))
      setFlash(messageId)
      return true
    },
    nameOf: publicKey => latest.current.people.get(publicKey)?.name,
    me: identity?.publicKey
  }), [identity?.publicKey, client, channelId])

  useLayoutEffect(() => {
    const el = viewport.current
    const index = focus === null ? undefined : indexByKey.get(focus.messageId)
    if (focus === null || el === null || !placed || index === undefined || focusDone.current === focus.serial) return
    focusDone.current = focus.serial
    follow(false)
    const offset = offsets[index] ?? 0
    const top = Math.max(0, offset - el.clientHeight * FOCUS_AT)
    scrollTo(top)
    // Held still as the rows around it are measured, not the row that happens to be first in view.
    anchor.current = { key: focus.messageId, delta: offset - el.scrollTop }
    if (!focus.held) {
      setFlash(focus.messageId)
      actions().messageFocusCleared()
    }
  }, [focus, placed, indexByKey, offsets])
  const heldId = focus?.held === true ? focus.messageId : null

  const jumpToLatest = (): void => {
    viewport.current?.focus()
    if (data.hasNewer) {
      // Followed once the newest are in: scrolling now, to the end of the window, would read as reading it.
      wantLatest.current = true
      void showLatest(client, channelId)
      return
    }
    follow(true)
    const el = viewport.current
    if (el !== null) scrollTo(Math.max(0, contentHeight(el, total) - el.clientHeight))
  }

  const unreadAt = unreadTop()
  // Only while unread messages remain, and only once no part of the divider shows any more.
  const unreadIndex = indexByKey.get('unread')
  const unreadAbove = unreadAt !== undefined && unread > 0 && unreadIndex !== undefined && (offsets[unreadIndex + 1] ?? 0) <= view.top

  const range = visibleRange(offsets, view.top, view.height, OVERSCAN)
  const visible = rows.slice(range.start, range.end)

  return (
    // Behind the newest messages, the list gives up a strip at its foot to "Jump to latest", which so covers no message.
    <MessageListContext.Provider value={context}>
      <div className={`message-list${atBottom && !data.hasNewer ? '' : ' message-list--behind'}`}>
        {unreadAbove && (
          <button type="button" className="pill pill--top" onClick={() => { follow(false); scrollTo(unreadAt) }}>
            Jump to new messages
          </button>
        )}
        <div ref={viewport} className="message-list__viewport" role="log" aria-live="off" aria-label={peerName === undefined ? `Messages in ${channelName}` : `Messages with ${peerName}`}
          aria-busy={data.loading} tabIndex={0} onScroll={onScroll} data-testid="message-list">
          <div className="message-list__spacer" style={{ height: total }}>
            {visible.map((row, i) => (
              <div key={row.key} ref={observeRow} data-key={row.key}
                className={`message-list__row${row.key === flash ? ' message-list__row--flash' : ''}${row.key === heldId ? ' message-list__row--current' : ''}`}
                style={{ transform: `translateY(${offsets[range.start + i] ?? 0}px)` }}>
                {row.kind === 'history' && <HistoryStart channelName={channelName} peerName={peerName} complete={row.complete} />}
                {row.kind === 'day' && <DaySeparator timestamp={row.timestamp} />}
                {row.kind === 'unread' && <UnreadDivider />}
                {row.kind === 'message' && <MessageItem message={row.message} continued={row.continued} conflicting={row.conflicting} sending={row.sending} author={people.get(row.message.author)} />}
              </div>
            ))}
          </div>
        </div>
        {(!atBottom || data.hasNewer) && (
          <button type="button" className="pill pill--bottom" onClick={jumpToLatest}>
            <Icon name="arrow-down" size={16} /> Jump to latest
          </button>
        )}
      </div>
    </MessageListContext.Provider>
  )
}
