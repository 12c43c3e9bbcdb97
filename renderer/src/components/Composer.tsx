import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type ChangeEvent, type FormEvent, type KeyboardEvent, type RefObject } from 'react'
import type { Hex, MessageInfo } from '../../../core/api/contract.ts'
import { useClient } from '../app/client-context.ts'
import { sendMessage } from '../app/commands.ts'
import { editMessage, lastEditable, leaveComposeMode, sayTyping, startEdit } from '../app/message-actions.ts'
import { loadMembers } from '../app/members.ts'
import { useChannelPeople } from '../app/use-channel-people.ts'
import { errorMessageOf } from '../client/api-call-error.ts'
import { MAX_MESSAGE_BYTES, MAX_MESSAGE_TEXT } from '../lib/limits.ts'
import { insertMention, mentionCandidates, mentionQueryAt, mentionsInText, splitMentions, type MentionCandidate, type MentionQuery } from '../lib/mentions.ts'
import { actions, useAppStore } from '../store/store.ts'
import { ComposeModeBar } from './ComposeModeBar.tsx'
import { Icon } from './Icon.tsx'
import { MentionPicker } from './MentionPicker.tsx'

// Blank lines around a message are accidents of typing; indentation inside it is not.
const tidy = (text: string): string => text.replace(/^(\s*\n)+/, '').trimEnd()
const utf8 = new TextEncoder()

/** Why the text cannot be sent as one message, in words; null when it can. */
function tooLongProblem (text: string): string | null {
  if (text.length > MAX_MESSAGE_TEXT) return `${text.length.toLocaleString()} / ${MAX_MESSAGE_TEXT.toLocaleString()} characters — too long to send`
  // Only long texts can be over in bytes: no encoding on every keystroke of a short one.
  if (text.length * 3 <= MAX_MESSAGE_BYTES) return null
  const bytes = utf8.encode(text).length
  if (bytes <= MAX_MESSAGE_BYTES) return null
  return `Too long to send: ${bytes.toLocaleString()} bytes, a message carries ${MAX_MESSAGE_BYTES.toLocaleString()}. Shorten it or send it in parts.`
}

/**
 * `disabledReason`, when given, turns the composer off and says why in place of the keyboard hint.
 * `peerName` names the person of a private conversation, whom the placeholder then names instead of the channel.
 * It also answers a message (a reply) or changes one of ours (an edit: Up on an empty composer takes the last one).
 * An '@' opens a picker of the conversation's people: the one picked is written `@Name` and sent as their key.
 */
export function Composer ({ channelId, channelName, peerName, disabledReason }: {
  channelId: Hex
  channelName: string
  peerName?: string | undefined
  disabledReason?: string | undefined
}) {
  const client = useClient()
  const draft = useAppStore(s => s.drafts.get(channelId) ?? '')
  const mode = useAppStore(s => s.composeModes.get(channelId))
  const [sending, setSending] = useState(false)
  const input = useRef<HTMLTextAreaElement>(null)
  const hintId = useId()
  const text = tidy(draft)
  const problem = tooLongProblem(text)
  const tooLong = problem !== null
  const canSend = text.length > 0 && !tooLong && disabledReason === undefined
  const mention = useMentions(channelId, draft, input)

  // Whether we told the core we are typing here, so that leaving (or sending) says we stopped.
  const typingSaid = useRef(false)
  const sayStopped = (): void => {
    if (!typingSaid.current) return
    typingSaid.current = false
    sayTyping(client, channelId, false)
  }
  useEffect(() => sayStopped, [])

  const onChange = (event: ChangeEvent<HTMLTextAreaElement>): void => {
    const value = event.target.value
    actions().draftChanged(channelId, value)
    mention.caretMoved(value, event.target.selectionStart)
    // Changing a message already sent is not writing a new one: nobody is told.
    if (mode?.kind === 'edit') return
    if (tidy(value) === '') sayStopped()
    else {
      typingSaid.current = true
      sayTyping(client, channelId, true)
    }
  }

  const saveEdit = async (original: MessageInfo): Promise<void> => {
    if (text === original.text) {
      leaveComposeMode(channelId)
      return
    }
    setSending(true)
    try {
      await editMessage(client, original, text, mention.mentionsIn(text, original))
      leaveComposeMode(channelId)
    } catch (err) {
      actions().noticePosted('error', `Message not changed: ${errorMessageOf(err)}`)
    } finally {
      setSending(false)
      input.current?.focus()
    }
  }

  const send = async (): Promise<void> => {
    if (!canSend) return
    if (mode?.kind === 'edit') {
      await saveEdit(mode.message)
      return
    }
    const replyTo = mode?.message
    const mentions = mention.mentionsIn(text)
    mention.forget()
    actions().draftChanged(channelId, '')
    actions().composeModeSet(channelId, null)
    sayStopped()
    setSending(true)
    try {
      await sendMessage(client, channelId, text, replyTo, mentions)
    } catch (err) {
      // Give the words back rather than lose them, unless the user already typed something new.
      if ((actions().drafts.get(channelId) ?? '') === '') {
        actions().draftChanged(channelId, draft)
        if (replyTo !== undefined) actions().composeModeSet(channelId, { kind: 'reply', message: replyTo })
      }
      actions().noticePosted('error', `Message not sent: ${errorMessageOf(err)}`)
    } finally {
      setSending(false)
      input.current?.focus()
    }
  }

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (mention.onKeyDown(event)) return
    if (event.key === 'Escape' && mode !== undefined) {
      event.preventDefault()
      leaveComposeMode(channelId)
      return
    }
    if (event.key === 'ArrowUp' && draft === '' && mode === undefined && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
      const last = lastEditable(actions().messages.get(channelId)?.list ?? [])
      if (last === undefined) return
      event.preventDefault()
      startEdit(last)
      return
    }
    // While an input method is composing, Enter confirms the composition and must not send.
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return
    event.preventDefault()
    void send()
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault()
    void send()
  }

  let hint = mode?.kind === 'edit'
    ? <span><kbd>Enter</kbd> to save · <kbd>Esc</kbd> to cancel</span>
    : mode?.kind === 'reply'
      ? <span><kbd>Enter</kbd> to send the reply · <kbd>Esc</kbd> to cancel</span>
      : <span><kbd>Enter</kbd> to send · <kbd>Shift</kbd> + <kbd>Enter</kbd> for a new line</span>
  if (disabledReason !== undefined) hint = <span>{disabledReason}</span>
  else if (problem !== null) hint = <span className="composer__count" role="alert">{problem}</span>

  return (
    <form className="composer" onSubmit={onSubmit} aria-label="Compose">
      {mode !== undefined && <ComposeModeBar channelId={channelId} mode={mode} />}
      {mention.open && <MentionPicker id={mention.listId} candidates={mention.candidates} active={mention.active} onPick={mention.pick} />}
      <div className={`composer__box${tooLong ? ' composer__box--invalid' : ''}`}>
        <textarea ref={input} className="composer__input" aria-label="Message" dir="auto" placeholder={peerName === undefined ? `Message #${channelName}` : `Message ${peerName}`}
          rows={1} value={draft} onChange={onChange} onKeyDown={onKeyDown} onSelect={e => { mention.caretMoved(e.currentTarget.value, e.currentTarget.selectionStart) }}
          aria-autocomplete="list" aria-expanded={mention.open} aria-controls={mention.open ? mention.listId : undefined}
          aria-activedescendant={mention.open ? `${mention.listId}-${mention.active}` : undefined}
          aria-describedby={hintId} aria-invalid={tooLong || undefined} disabled={disabledReason !== undefined} autoFocus />
        <button type="submit" className="composer__send" aria-label={mode?.kind === 'edit' ? 'Save' : 'Send'} disabled={!canSend || sending}>
          <Icon name={mode?.kind === 'edit' ? 'check' : 'send'} size={18} />
        </button>
      </div>
      <p className="composer__hint" id={hintId}>{hint}</p>
    </form>
  )
}

/** People picked per conversation, kept while its draft is (the composer is remade for each conversation). */
const pickedByChannel = new Map<Hex, Map<Hex, string>>()

/**
 * The composer's '@' picker: what is being typed after an '@', whom it may name (the conversation's
 * people but you, contacts first), the people picked so far (key → the name written), and the keys it
 * handles while open. What is sent names those picked whose `@Name` the text still holds.
 */
function useMentions (channelId: Hex, draft: string, input: RefObject<HTMLTextAreaElement | null>) {
  const client = useClient()
  const people = useChannelPeople(channelId)
  const me = useAppStore(s => s.identityStatus?.identity?.publicKey)
  const membersRead = useAppStore(s => s.members.has(channelId))
  const [query, setQuery] = useState<MentionQuery | null>(null)
  const [active, setActive] = useState(0)
  // An '@' whose picker was closed with Escape stays closed until another one is typed.
  const dismissed = useRef<number | null>(null)
  const caretAfter = useRef<number | null>(null)
  const listId = useId()

  const everyone = useMemo<MentionCandidate[]>(() => [...people].filter(([key, label]) => key !== me && !label.blocked).map(([publicKey, label]) => ({ publicKey, name: label.name, contact: label.contact })), [people, me])
  const candidates = useMemo(() => query === null ? [] : mentionCandidates(everyone, query.query), [everyone, query])
  const open = candidates.length > 0
  useEffect(() => {
    if (query !== null && !membersRead) void loadMembers(client, channelId)
  }, [query !== null, membersRead, channelId])
  useEffect(() => { setQuery(null) }, [channelId])
  useLayoutEffect(() => {
    const at = caretAfter.current
    if (at === null || input.current === null) return
    caretAfter.current = null
    input.current.setSelectionRange(at, at)
  }, [draft])

  const pickedHere = (): Map<Hex, string> => {
    let map = pickedByChannel.get(channelId)
    if (map === undefined) pickedByChannel.set(channelId, map = new Map())
    return map
  }
  const caretMoved = (value: string, caret: number | null): void => {
    const next = caret === null ? null : mentionQueryAt(value, caret)
    if (next === null || next.start !== dismissed.current) dismissed.current = null
    const shown = next !== null && dismissed.current === null ? next : null
    setQuery(q => q?.start === shown?.start && q?.query === shown?.query ? q : shown)
    if (shown?.query !== query?.query) setActive(0)
  }
  const pick = (candidate: MentionCandidate): void => {
    if (query === null) return
    const caret = input.current?.selectionStart ?? draft.length
    const next = insertMention(draft, query, caret, candidate.name)
    pickedHere().set(candidate.publicKey, candidate.name)
    caretAfter.current = next.caret
    actions().draftChanged(channelId, next.text)
    setQuery(null)
    input.current?.focus()
  }
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (!open || event.altKey || event.ctrlKey || event.metaKey) return false
    const move = (by: number): void => { setActive(i => (i + by + candidates.length) % candidates.length) }
    if (event.key === 'ArrowDown') move(1)
    else if (event.key === 'ArrowUp') move(-1)
    else if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey && !event.nativeEvent.isComposing) pick(candidates[Math.min(active, candidates.length - 1)]!)
    else if (event.key === 'Escape') {
      dismissed.current = query?.start ?? null
      setQuery(null)
    } else return false
    event.preventDefault()
    event.stopPropagation()
    return true
  }
  /** The keys the text names: those picked, and for an edit those the message named as it was written. */
  const mentionsIn = (text: string, original?: MessageInfo): Hex[] => {
    const names = new Map(pickedHere())
    if (original?.mentions !== undefined) {
      const { parts } = splitMentions(original.text, original.mentions, key => [people.get(key)?.name ?? ''])
      for (const part of parts) if (part.kind === 'mention' && !names.has(part.publicKey)) names.set(part.publicKey, part.written.slice(1))
    }
    return mentionsInText(text, names)
  }
  return { open, candidates, active: Math.min(active, Math.max(0, candidates.length - 1)), listId, pick, caretMoved, onKeyDown, mentionsIn, forget: () => { pickedByChannel.delete(channelId) } }
}
