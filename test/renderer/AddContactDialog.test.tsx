import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { DialogHost } from '../../renderer/src/components/DialogHost.tsx'
import { DropZone } from '../../renderer/src/components/DropZone.tsx'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { contact, contactFile, contactLink, FakeCore, hex, ME, peer } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'

const ALICE = hex(7)
const LINK = contactLink(ALICE, 'Alice')

let core: FakeCore
beforeEach(() => {
  core = new FakeCore()
  actions().identityReady(ME)
})

const open = (dialog: Parameters<ReturnType<typeof actions>['dialogOpened']>[0]) => {
  actions().dialogOpened(dialog)
  renderWithClient(<DialogHost />, core)
  return screen.getByRole('dialog', { name: 'Add a contact' })
}
const pasteLink = (dialog: HTMLElement, text: string) => {
  fireEvent.change(within(dialog).getByLabelText('Contact link'), { target: { value: text } })
  fireEvent.click(within(dialog).getByRole('button', { name: 'Continue' }))
}

describe('AddContactDialog', () => {
  it('checks a pasted link with the core, then shows the fingerprint and the suggested name, saying it is only a suggestion', async () => {
    const dialog = open({ kind: 'add-contact' })
    pasteLink(dialog, `  ${LINK} `)
    expect((await within(dialog).findByTestId('candidate-fingerprint')).textContent).toBe('0000 1111 2222 3333')
    expect(core.callsOf('contacts.inspectLink')).toEqual([{ link: LINK }])
    const name = within(dialog).getByLabelText('Your name for them') as HTMLInputElement
    expect(name.value).toBe('Alice')
    // Focus moves to the name once the checked candidate is shown (an effect after that render).
    await waitFor(() => { expect(document.activeElement).toBe(name) })
    expect(within(dialog).getByText(/A name in a link is only a suggestion: anyone can write any name into one/)).toBeTruthy()
    expect(core.callsOf('contacts.add')).toEqual([])
  })

  it('adds the contact under the name typed over the suggestion', async () => {
    const dialog = open({ kind: 'add-contact' })
    pasteLink(dialog, LINK)
    fireEvent.change(await within(dialog).findByLabelText('Your name for them'), { target: { value: ' Alice (book club) ' } })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add contact' }))
    await expect.poll(() => useAppStore.getState().dialog).toBeNull()
    expect(core.callsOf('contacts.add')).toEqual([{ link: LINK, name: 'Alice (book club)' }])
    expect(useAppStore.getState().contacts.get(ALICE)?.name).toBe('Alice (book club)')
    expect(useAppStore.getState().notices.map(n => n.text)).toEqual(['Added Alice (book club) to your contacts'])
  })

  it('opens checked at once on a link pasted on the window', async () => {
    const dialog = open({ kind: 'add-contact', link: LINK })
    expect(await within(dialog).findByTestId('candidate-fingerprint')).toBeTruthy()
    expect(core.callsOf('contacts.inspectLink')).toHaveLength(1)
  })

  it('refuses a bare key without asking the core, and says what to ask for instead', () => {
    const dialog = open({ kind: 'add-contact' })
    pasteLink(dialog, ALICE)
    expect(within(dialog).getByRole('alert').textContent).toMatch(/^A key alone cannot be added.*Ask for their contact link/)
    expect(core.calls.filter(c => c.method.startsWith('contacts.'))).toEqual([])
  })

  it('points a channel invite to Join instead', () => {
    const dialog = open({ kind: 'add-contact' })
    pasteLink(dialog, 'bitchat:?v=2&n=general')
    expect(within(dialog).getByRole('alert').textContent).toBe('This is an invite to a channel, not a contact link. Use Join in the sidebar to join the channel.')
  })

  it('explains a broken link in plain words, with the core’s words one click away', async () => {
    core.failNext('contacts.inspectLink', 'INVALID_URI', 'invalid contact link: the key in this link was changed or cut short')
    const dialog = open({ kind: 'add-contact' })
    pasteLink(dialog, LINK)
    expect((await within(dialog).findByRole('alert')).textContent).toBe('This contact link does not work: it is incomplete, or was changed on the way. Ask them to send it again.')
    const details = dialog.querySelector('details')
    expect(details?.querySelector('summary')?.textContent).toBe('Details')
    expect(details?.textContent).toMatch(/the key in this link was changed or cut short/)
  })

  it('recognises your own link', async () => {
    const dialog = open({ kind: 'add-contact' })
    pasteLink(dialog, contactLink(ME.publicKey, 'Me'))
    expect((await within(dialog).findByRole('alert')).textContent).toBe('This is your own contact link: send it to others so they can add you.')
  })

  it('offers to show someone already in the address book instead of adding them again', async () => {
    core.contacts.set(ALICE, contact(0, { publicKey: ALICE, name: 'Al' }))
    actions().contactsListed([...core.contacts.values()])
    const dialog = open({ kind: 'add-contact' })
    pasteLink(dialog, LINK)
    expect(await within(dialog).findByText('They are already in your contacts.')).toBeTruthy()
    expect(within(dialog).queryByRole('button', { name: 'Add contact' })).toBeNull()
    fireEvent.click(within(dialog).getByRole('button', { name: 'Show contact' }))
    expect(useAppStore.getState().dialog).toEqual({ kind: 'contact', publicKey: ALICE })
  })

  it('adds a member of a channel by key, under the name they chose unless you give another', async () => {
    const member = peer(3)
    const dialog = open({ kind: 'add-contact', member: { publicKey: member.publicKey, name: member.name, fingerprint: member.fingerprint } })
    expect(within(dialog).getByTestId('candidate-fingerprint').textContent).toBe('FP3')
    expect((within(dialog).getByLabelText('Your name for them') as HTMLInputElement).value).toBe('Peer 3')
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add contact' }))
    await expect.poll(() => core.callsOf('contacts.add')).toEqual([{ publicKey: member.publicKey, name: 'Peer 3' }])
  })

  it('says so plainly when the address book is full, and stays open', async () => {
    core.failNext('contacts.add', 'TOO_MANY_CONTACTS', 'the address book holds 10000 contacts')
    const dialog = open({ kind: 'add-contact', member: { publicKey: hex(9), name: 'Nine', fingerprint: 'FP9' } })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add contact' }))
    expect((await within(dialog).findByRole('alert')).textContent).toBe('Your address book is full. Remove someone before adding more.')
    expect(useAppStore.getState().dialog?.kind).toBe('add-contact')
  })
})

describe('AddContactDialog: from a contact file', () => {
  const FILE = contactFile(ALICE, 'Alice')
  const pick = (dialog: HTMLElement, file: File) => {
    fireEvent.change(within(dialog).getByTestId('contact-file-input'), { target: { files: [file] } })
  }

  it('offers to open a contact file, checks it with the core, then adds from it under the name typed', async () => {
    const dialog = open({ kind: 'add-contact' })
    expect(within(dialog).getByRole('button', { name: 'Open contact file…' })).toBeTruthy()
    pick(dialog, new File([FILE], 'Alice.bitchat-contact'))
    expect((await within(dialog).findByTestId('candidate-fingerprint')).textContent).toBe('0000 1111 2222 3333')
    expect(core.callsOf('contacts.inspectFile')).toEqual([{ contactFile: FILE }])
    expect(within(dialog).getByText(/Suggested by the file\. A name in a file is only a suggestion/)).toBeTruthy()
    fireEvent.change(within(dialog).getByLabelText('Your name for them'), { target: { value: 'Alice B.' } })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add contact' }))
    await expect.poll(() => useAppStore.getState().dialog).toBeNull()
    expect(core.callsOf('contacts.add')).toEqual([{ contactFile: FILE, name: 'Alice B.' }])
  })

  it('opens checked at once on a contact file dropped on the window', async () => {
    const dialog = open({ kind: 'add-contact', contactFile: FILE })
    expect(await within(dialog).findByTestId('candidate-fingerprint')).toBeTruthy()
    expect(core.callsOf('contacts.inspectFile')).toEqual([{ contactFile: FILE }])
  })

  it('takes a contact file dropped on the open dialog (the window’s drop zone hands it over)', async () => {
    actions().dialogOpened({ kind: 'add-contact' })
    renderWithClient(<><DropZone /><DialogHost /></>, core)
    const drop = fireEvent.drop(screen.getByRole('dialog'), { dataTransfer: { types: ['Files'], files: [new File([FILE], 'Alice.bitchat-contact')] } })
    expect(drop).toBe(false)
    // The dialog opens again with the file (a new one: the drop zone hands it over as the dialog's start).
    expect(await screen.findByTestId('candidate-fingerprint')).toBeTruthy()
    expect(core.callsOf('contacts.inspectFile')).toEqual([{ contactFile: FILE }])
  })

  it('says in plain words that a refused file does not work, the core’s reason one click away', async () => {
    core.failNext('contacts.inspectFile', 'INVALID_CONTACT_FILE', 'invalid contact file: the key in this file does not match its fingerprint')
    const dialog = open({ kind: 'add-contact' })
    pick(dialog, new File([FILE], 'Alice.bitchat-contact'))
    expect((await within(dialog).findByRole('alert')).textContent).toBe('This contact file does not work: it is damaged, was changed on the way, or was made by another version of BitChat. Ask them to send it again.')
    expect(within(dialog).getByText('Details').closest('details')!.textContent).toContain('does not match its fingerprint')
  })

  it('refuses without asking the core a file of another kind or too large to be a contact file', async () => {
    const dialog = open({ kind: 'add-contact' })
    pick(dialog, new File(['hello'], 'notes.txt'))
    expect((await within(dialog).findByRole('alert')).textContent).toBe('notes.txt is not a contact file: those end in .bitchat-contact')
    pick(dialog, new File(['x'.repeat(2000)], 'Big.bitchat-contact'))
    await expect.poll(() => within(dialog).getByRole('alert').textContent).toBe('Big.bitchat-contact is too large to be a contact file')
    expect(core.callsOf('contacts.inspectFile')).toEqual([])
  })
})

describe('AddContactDialog: someone taking a contact’s name', () => {
  it('warns when the link suggests the name of a contact who has another key', async () => {
    actions().contactsListed([contact(1, { name: 'Bob', theirName: 'bob' })])
    const dialog = open({ kind: 'add-contact' })
    pasteLink(dialog, contactLink(hex(9), 'B0b'))
    expect((await within(dialog).findByTestId('lookalike-warning')).textContent).toMatch(/^You already have a contact called “Bob”, with a different key/)
  })

  it('does not warn for a name no contact uses', async () => {
    actions().contactsListed([contact(1, { name: 'Bob', theirName: 'bob' })])
    const dialog = open({ kind: 'add-contact' })
    pasteLink(dialog, contactLink(hex(9), 'Carol'))
    await within(dialog).findByTestId('candidate-fingerprint')
    expect(within(dialog).queryByTestId('lookalike-warning')).toBeNull()
  })
})
