import { act, fireEvent, screen } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { openChannel } from '../../renderer/src/app/commands.ts'
import { Conversation } from '../../renderer/src/components/Conversation.tsx'
import { typingWords } from '../../renderer/src/lib/typing-words.ts'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { channel, contact, FakeCore, hex, ME, message, peer } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'
import { boundCore } from './helpers/bound-core.ts'

const bound = boundCore(600)
let core: FakeCore
beforeEach(() => { core = bound.core })

async function show (n = 1) {
  const summary = channel(n)
  core.addChannel(summary, [message(1, { channelId: summary.channelId })], [peer(1), peer(2), peer(3)])
  actions().channelsListed([...useAppStore.getState().channels.values(), summary])
  await act(async () => { await openChannel(core, summary.channelId) })
  return renderWithClient(<Conversation key={summary.channelId} channel={summary} />, core)
}

const indicator = () => screen.getByTestId('typing-indicator').textContent
const typing = (n: number, on: boolean) => { act(() => { core.emit('typing', { channelId: hex(1), publicKey: peer(n).publicKey, typing: on }) }) }
const box = () => screen.getByRole('textbox', { name: 'Message' })

describe('typing words', () => {
  it.each([
    [[], null],
    [['Alice'], 'Alice is typing…'],
    [['Alice', 'Bob'], 'Alice and Bob are typing…'],
    [['Alice', 'Bob', 'Carol'], 'Several people are typing…']
  ])('%j → %s', (names, words) => { expect(typingWords(names)).toBe(words) })
})

describe('the typing indicator', () => {
  it('names who types as the typing events say, until they stop', async () => {
    await show()
    expect(indicator()).toBe('')
    typing(1, true)
    expect(indicator()).toBe('Peer 1 is typing…')
    typing(2, true)
    expect(indicator()).toBe('Peer 1 and Peer 2 are typing…')
    typing(3, true)
    expect(indicator()).toBe('Several people are typing…')
    typing(1, false)
    typing(3, false)
    expect(indicator()).toBe('Peer 2 is typing…')
    typing(2, false)
    expect(indicator()).toBe('')
  })

  it('names a contact by your name for them', async () => {
    actions().contactsListed([contact(1, { name: 'Alice' })])
    await show()
    typing(1, true)
    expect(indicator()).toBe('Alice is typing…')
  })

  it('shows only the conversation’s own typists', async () => {
    await show()
    act(() => { core.emit('typing', { channelId: hex(2), publicKey: peer(1).publicKey, typing: true }) })
    expect(indicator()).toBe('')
  })
})

describe('saying that we type', () => {
  it('says so on input, and stops when the draft is cleared', async () => {
    await show()
    fireEvent.change(box(), { target: { value: 'h' } })
    fireEvent.change(box(), { target: { value: 'he' } })
    expect(core.callsOf('messages.typing')).toEqual([{ channelId: hex(1), typing: true }, { channelId: hex(1), typing: true }])
    fireEvent.change(box(), { target: { value: '' } })
    expect(core.callsOf('messages.typing').at(-1)).toEqual({ channelId: hex(1), typing: false })
  })

  it('stops when the message is sent', async () => {
    await show()
    fireEvent.change(box(), { target: { value: 'hello' } })
    fireEvent.keyDown(box(), { key: 'Enter' })
    expect(core.callsOf('messages.typing').at(-1)).toEqual({ channelId: hex(1), typing: false })
  })

  it('stops when the conversation is left for another', async () => {
    const view = await show(1)
    fireEvent.change(box(), { target: { value: 'half' } })
    view.unmount()
    expect(core.callsOf('messages.typing').at(-1)).toEqual({ channelId: hex(1), typing: false })
  })

  it('says nothing while editing a message already sent', async () => {
    await show()
    actions().messageReceived(message(2, { own: true, author: ME.publicKey, text: 'mine' }))
    fireEvent.keyDown(box(), { key: 'ArrowUp' })
    fireEvent.change(box(), { target: { value: 'mine!' } })
    expect(core.callsOf('messages.typing')).toEqual([])
  })
})
