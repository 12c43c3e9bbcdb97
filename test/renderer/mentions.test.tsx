import { act, fireEvent, render, screen, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { Composer } from '../../renderer/src/components/Composer.tsx'
import { MessageItem } from '../../renderer/src/components/MessageItem.tsx'
import { MessageListContext } from '../../renderer/src/app/message-list-context.ts'
import { ClientContext } from '../../renderer/src/app/client-context.ts'
import { insertMention, mentionCandidates, mentionQueryAt, mentionsInText, splitMentions } from '../../renderer/src/lib/mentions.ts'
import { actions } from '../../renderer/src/store/store.ts'
import { contact, FakeCore, hex, ME, member, message, peer } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'

describe('mention text rules', () => {
  it('finds the @ being typed at the caret, only at a word start and without a space since', () => {
    expect(mentionQueryAt('hi @bo', 6)).toEqual({ start: 3, query: 'bo' })
    expect(mentionQueryAt('@', 1)).toEqual({ start: 0, query: '' })
    expect(mentionQueryAt('mail me@home', 12)).toBeNull()
    expect(mentionQueryAt('@bob and', 8)).toBeNull()
    expect(mentionQueryAt('(@ca', 4)).toEqual({ start: 1, query: 'ca' })
  })

  it('offers names beginning with the query first, contacts before others, at most eight', () => {
    const people = [
      { publicKey: hex(1), name: 'Zed Bo', contact: false },
      { publicKey: hex(2), name: 'Bob', contact: false },
      { publicKey: hex(3), name: 'bobby', contact: true },
      { publicKey: hex(4), name: 'Carol', contact: true }
    ]
    expect(mentionCandidates(people, 'bo').map(p => p.name)).toEqual(['bobby', 'Bob', 'Zed Bo'])
    expect(mentionCandidates(people, '').map(p => p.name)).toEqual(['bobby', 'Carol', 'Bob', 'Zed Bo'])
    expect(mentionCandidates(Array.from({ length: 20 }, (_, i) => ({ publicKey: hex(i), name: `P${i}`, contact: false })), 'p')).toHaveLength(8)
  })

  it('replaces the @ typed with the name picked, and keeps only the picked whose name stays in the text', () => {
    expect(insertMention('hi @bo there', { start: 3, query: 'bo' }, 6, 'Bob Smith')).toEqual({ text: 'hi @Bob Smith there', caret: 14 })
    const picked = new Map([[hex(1), 'Bob Smith'], [hex(2), 'Carol']])
    expect(mentionsInText('hi @Bob Smith!', picked)).toEqual([hex(1)])
    expect(mentionsInText('hi @Bob Smithers', picked)).toEqual([])
  })

  it('cuts a message at the names of the people it mentions, the longest name first', () => {
    const names = new Map([[hex(1), ['Bob']], [hex(2), ['Bob Smith']], [hex(3), ['Dave']]])
    const { parts, unplaced } = splitMentions('@Bob Smith and @Bob, not bob@x', [hex(1), hex(2), hex(3)], key => names.get(key) ?? [])
    expect(parts).toEqual([
      { kind: 'mention', publicKey: hex(2), written: '@Bob Smith' },
      { kind: 'text', text: ' and ' },
      { kind: 'mention', publicKey: hex(1), written: '@Bob' },
      { kind: 'text', text: ', not bob@x' }
    ])
    expect(unplaced).toEqual([hex(3)])
  })
})

describe('the composer\'s @ picker', () => {
  let core: FakeCore
  const channelId = hex(1)
  beforeEach(() => {
    core = new FakeCore()
    actions().identityReady(ME)
    actions().peersListed(channelId, [peer(1, { name: 'Bob' }), peer(2, { name: 'Carol' })])
    actions().membersListed(channelId, [member(1, { name: 'Bob' }), member(2, { name: 'Carol' }), member(3, { name: 'Bea' })])
    actions().contactsListed([contact(2, { name: 'Caz', theirName: 'Carol' })])
    renderWithClient(<Composer channelId={channelId} channelName="general" />, core)
  })

  const box = () => screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement
  const type = (text: string) => { fireEvent.change(box(), { target: { value: text, selectionStart: text.length, selectionEnd: text.length } }) }
  const options = () => within(screen.getByRole('listbox', { name: 'People to mention' })).getAllByRole('option').map(o => o.textContent)

  it('lists the conversation\'s people on @, contacts first by your name for them, never you', () => {
    type('hello @')
    expect(options()).toEqual(['CCazcontact', 'BBea', 'BBob'])
    expect(box().getAttribute('aria-expanded')).toBe('true')
    type('hello @b')
    expect(options()).toEqual(['BBea', 'BBob'])
  })

  it('offers no one you blocked', () => {
    act(() => { actions().contactUpdated(contact(3, { name: '', theirName: 'Bea', blocked: true })) })
    type('@b')
    expect(options()).toEqual(['BBob'])
  })

  it('moves with the arrows, picks with Enter, and sends the person by key', async () => {
    type('hi @b')
    fireEvent.keyDown(box(), { key: 'ArrowDown' })
    expect(screen.getAllByRole('option')[1]?.getAttribute('aria-selected')).toBe('true')
    expect(box().getAttribute('aria-activedescendant')).toBe(screen.getAllByRole('option')[1]?.id)
    const notPrevented = fireEvent.keyDown(box(), { key: 'Enter' })
    expect(notPrevented).toBe(false)
    expect(box().value).toBe('hi @Bob ')
    expect(screen.queryByRole('listbox')).toBeNull()
    expect(core.callsOf('messages.send')).toEqual([])
    type('hi @Bob how are you')
    fireEvent.keyDown(box(), { key: 'Enter' })
    await expect.poll(() => core.callsOf('messages.send')).toEqual([{ channelId, text: 'hi @Bob how are you', mentions: [hex(1001)] }])
  })

  it('picks with Tab too, and a person whose name was deleted from the text is not sent', async () => {
    type('@c')
    fireEvent.keyDown(box(), { key: 'Tab' })
    expect(box().value).toBe('@Caz ')
    type('never mind')
    fireEvent.keyDown(box(), { key: 'Enter' })
    await expect.poll(() => core.callsOf('messages.send')).toEqual([{ channelId, text: 'never mind' }])
  })

  it('closes on Escape and stays closed for that @, leaving the text as typed', () => {
    actions().composeModeSet(channelId, { kind: 'reply', message: message(1) })
    type('hey @b')
    fireEvent.keyDown(box(), { key: 'Escape' })
    expect(screen.queryByRole('listbox')).toBeNull()
    expect(box().value).toBe('hey @b')
    expect(actions().composeModes.get(channelId)?.kind).toBe('reply')
    type('hey @be')
    expect(screen.queryByRole('listbox')).toBeNull()
    type('hey @be @')
    expect(screen.getByRole('listbox')).toBeTruthy()
  })
})

describe('mentions in a message', () => {
  const core = new FakeCore()
  const show = (m: Parameters<typeof MessageItem>[0]['message']) => render(
    <ClientContext.Provider value={core}>
      <MessageListContext.Provider value={{ jumpTo: () => false, nameOf: key => key === hex(1002) ? 'Caz' : key === ME.publicKey ? 'Me' : undefined, me: ME.publicKey }}>
        <MessageItem message={m} continued={false} />
      </MessageListContext.Provider>
    </ClientContext.Provider>
  )

  it('shows each mention as a chip with the name you know them by, and marks a message that mentions you', () => {
    actions().identityReady(ME)
    actions().peersListed(hex(1), [peer(2, { name: 'Carol' })])
    const { container } = show(message(1, { text: 'ask @Carol or @Me', mentions: [hex(1002), ME.publicKey], mentionsMe: true }))
    expect(screen.getAllByTestId('mention').map(c => c.textContent)).toEqual(['@Caz', '@Me'])
    expect(screen.getAllByTestId('mention')[1]?.className).toContain('mention--me')
    expect(container.querySelector('.message')?.className).toContain('message--mentions-me')
    expect(screen.getByText('Mentions you.')).toBeTruthy()
  })

  it('shows a mentioned person whose name is not in the text after it, and nothing for a message naming no one', () => {
    show(message(2, { text: 'see @Someone', mentions: [hex(1002)], mentionsMe: false }))
    expect(screen.getAllByTestId('mention').map(c => c.textContent)).toEqual(['@Caz'])
    expect(screen.getByText(/see @Someone/)).toBeTruthy()
  })

  it('draws a message without mentions as plain text', () => {
    const { container } = show(message(3, { text: 'plain @words' }))
    expect(screen.queryAllByTestId('mention')).toEqual([])
    expect(container.querySelector('.message--mentions-me')).toBeNull()
  })

  it('redraws nothing odd when a reply mentions', () => {
    act(() => { actions().identityReady(ME) })
    show(message(4, { text: '@Me look', mentions: [ME.publicKey], mentionsMe: true, replyTo: { messageId: hex(9), authorName: 'Bob', text: 'q' } }))
    expect(screen.getAllByTestId('mention').map(c => c.textContent)).toEqual(['@Me'])
  })
})

describe('a draft with a mention', () => {
  it('keeps the person picked when the conversation is left and opened again before sending', async () => {
    const core = new FakeCore()
    actions().identityReady(ME)
    actions().peersListed(hex(3), [peer(1, { name: 'Bob' })])
    const first = renderWithClient(<Composer key="a" channelId={hex(3)} channelName="general" />, core)
    const box = () => screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement
    fireEvent.change(box(), { target: { value: '@B', selectionStart: 2, selectionEnd: 2 } })
    fireEvent.keyDown(box(), { key: 'Enter' })
    expect(box().value).toBe('@Bob ')
    first.unmount()
    renderWithClient(<Composer key="b" channelId={hex(3)} channelName="general" />, core)
    fireEvent.change(box(), { target: { value: '@Bob later', selectionStart: 10, selectionEnd: 10 } })
    fireEvent.keyDown(box(), { key: 'Enter' })
    await expect.poll(() => core.callsOf('messages.send')).toEqual([{ channelId: hex(3), text: '@Bob later', mentions: [hex(1001)] }])
  })
})
