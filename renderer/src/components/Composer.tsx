import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react'
import type { Hex } from '../../../core/api/contract.ts'
import { useClient } from '../app/client-context.ts'
import { sendMessage } from '../app/commands.ts'
import { errorMessageOf } from '../client/api-call-error.ts'
import { MAX_MESSAGE_BYTES, MAX_MESSAGE_TEXT } from '../lib/limits.ts'
import { actions, useAppStore } from '../store/store.ts'
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
 */
export function Composer ({ channelId, channelName, peerName, disabledReason }: {
  channelId: Hex
  channelName: string
  peerName?: string | undefined
  disabledReason?: string | undefined
}) {
  const client = useClient()
  const draft = useAppStore(s => s.drafts.get(channelId) ?? '')
  const [sending, setSending] = useState(false)
  const input = useRef<HTMLTextAreaElement>(null)
  const hintId = useId()
  const text = tidy(draft)
  const problem = tooLongProblem(text)
  const tooLong = problem !== null
  const canSend = text.length > 0 && !tooLong && disabledReason === undefined

  const send = async (): Promise<void> => {
    if (!canSend) return
    actions().draftChanged(channelId, '')
    setSending(true)
    try {
      await sendMessage(client, channelId, text)
    } catch (err) {
      // Give the words back rather than lose them, unless the user already typed something new.
      if ((actions().drafts.get(channelId) ?? '') === '') actions().draftChanged(channelId, draft)
      actions().noticePosted('error', `Message not sent: ${errorMessageOf(err)}`)
    } finally {
      setSending(false)
      input.current?.focus()
    }
  }

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    // While an input method is composing, Enter confirms the composition and must not send.
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return
    event.preventDefault()
    void send()
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault()
    void send()
  }

  let hint = <span><kbd>Enter</kbd> to send · <kbd>Shift</kbd> + <kbd>Enter</kbd> for a new line</span>
  if (disabledReason !== undefined) hint = <span>{disabledReason}</span>
  else if (problem !== null) hint = <span className="composer__count" role="alert">{problem}</span>

  return (
    <form className="composer" onSubmit={onSubmit} aria-label="Compose">
      <div className={`composer__box${tooLong ? ' composer__box--invalid' : ''}`}>
        <textarea ref={input} className="composer__input" aria-label="Message" dir="auto" placeholder={peerName === undefined ? `Message #${channelName}` : `Message ${peerName}`}
          rows={1} value={draft} onChange={e => { actions().draftChanged(channelId, e.target.value) }} onKeyDown={onKeyDown}
          aria-describedby={hintId} aria-invalid={tooLong || undefined} disabled={disabledReason !== undefined} autoFocus />
        <button type="submit" className="composer__send" aria-label="Send" disabled={!canSend || sending}>
          <Icon name="send" size={18} />
        </button>
      </div>
      <p className="composer__hint" id={hintId}>{hint}</p>
    </form>
  )
}
