import { useEffect, useId, useRef, useState, type ChangeEvent, type FormEvent, type KeyboardEvent } from 'react'
import type { Hex, MessageInfo } from '../../../core/api/contract.ts'
import { useClient } from '../app/client-context.ts'
import { sendMessage } from '../app/commands.ts'
import { editMessage, lastEditable, leaveComposeMode, sayTyping, startEdit } from '../app/message-actions.ts'
import { errorMessageOf } from '../client/api-call-error.ts'
import { MAX_MESSAGE_BYTES, MAX_MESSAGE_TEXT } from '../lib/limits.ts'
import { actions, useAppStore } from '../store/store.ts'
import { ComposeModeBar } from './ComposeModeBar.tsx'
import { Icon } from './Icon.tsx'

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
      await editMessage(client, original, text)
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
    actions().draftChanged(channelId, '')
    actions().composeModeSet(channelId, null)
    sayStopped()
    setSending(true)
    try {
      await sendMessage(client, channelId, text, replyTo)
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
      <div className={`composer__box${tooLong ? ' composer__box--invalid' : ''}`}>
        <textarea ref={input} className="composer__input" aria-label="Message" dir="auto" placeholder={peerName === undefined ? `Message #${channelName}` : `Message ${peerName}`}
          rows={1} value={draft} onChange={onChange} onKeyDown={onKeyDown}
          aria-describedby={hintId} aria-invalid={tooLong || undefined} disabled={disabledReason !== undefined} autoFocus />
        <button type="submit" className="composer__send" aria-label={mode?.kind === 'edit' ? 'Save' : 'Send'} disabled={!canSend || sending}>
          <Icon name={mode?.kind === 'edit' ? 'check' : 'send'} size={18} />
        </button>
      </div>
      <p className="composer__hint" id={hintId}>{hint}</p>
    </form>
  )
}
