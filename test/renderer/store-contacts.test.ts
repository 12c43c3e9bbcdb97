import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadWorkspace } from '../../renderer/src/app/commands.ts'
import { bindEvents } from '../../renderer/src/app/events.ts'
import { sortContacts } from '../../renderer/src/store/contacts.ts'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { contact, FakeCore, ME } from './helpers/fake-core.ts'

const state = () => useAppStore.getState()
const names = (): string[] => sortContacts(state().contacts).map(c => c.name || c.theirName || c.fingerprint)

describe('contacts slice', () => {
  it('replaces the address book with a fetched list', () => {
    actions().contactUpdated(contact(9))
    actions().contactsListed([contact(1), contact(2)])
    expect([...state().contacts.keys()]).toEqual([contact(1).publicKey, contact(2).publicKey])
  })

  it('adds a contact and replaces one that changed', () => {
    actions().contactsListed([contact(1)])
    actions().contactUpdated(contact(2))
    actions().contactUpdated(contact(1, { verified: true }))
    expect(state().contacts.size).toBe(2)
    expect(state().contacts.get(contact(1).publicKey)?.verified).toBe(true)
  })

  it('forgets a removed contact, and keeps the same map when there was none to remove', () => {
    actions().contactsListed([contact(1), contact(2)])
    actions().contactRemoved(contact(1).publicKey)
    expect([...state().contacts.keys()]).toEqual([contact(2).publicKey])
    const before = state().contacts
    actions().contactRemoved(contact(1).publicKey)
    expect(state().contacts).toBe(before)
  })

  it('sorts by the name shown: yours, else theirs, else the fingerprint; numbers as people count', () => {
    actions().contactsListed([
      contact(1, { name: 'zoe' }),
      contact(2, { name: '', theirName: 'Adam' }),
      contact(3, { name: '', theirName: null, fingerprint: 'BEEF 0000 0000 0000' }),
      contact(4, { name: 'Room 10' }),
      contact(5, { name: 'room 2' })
    ])
    expect(names()).toEqual(['Adam', 'BEEF 0000 0000 0000', 'room 2', 'Room 10', 'zoe'])
  })
})

describe('contacts from the core', () => {
  let core: FakeCore
  let unbind: () => void
  beforeEach(() => {
    core = new FakeCore()
    unbind = bindEvents(core)
    actions().identityReady(ME)
  })
  afterEach(() => { unbind() })

  it('are loaded with the workspace', async () => {
    core.contacts.set(contact(1).publicKey, contact(1))
    await loadWorkspace(core)
    expect([...state().contacts.values()]).toEqual([contact(1)])
  })

  it('that cannot be read leave the rest of the workspace loaded, and say so', async () => {
    core.failNext('contacts.list', 'INTERNAL', 'database is locked')
    core.addChannel({ channelId: 'c'.repeat(64), name: 'general', peerCount: 0, mode: 'open', trackers: [], unread: 0 })
    await loadWorkspace(core)
    expect(state().channels.size).toBe(1)
    expect(state().notices.map(n => [n.text, n.detail])).toEqual([['Could not load your contacts', 'database is locked']])
  })

  it('follow contact.updated and contact.removed', () => {
    core.emit('contact.updated', contact(1))
    core.emit('contact.updated', contact(1, { blocked: true }))
    expect(state().contacts.get(contact(1).publicKey)?.blocked).toBe(true)
    core.emit('contact.removed', { publicKey: contact(1).publicKey })
    expect(state().contacts.size).toBe(0)
  })

  it('close the open dialog of a contact removed elsewhere, and only that one', () => {
    actions().contactsListed([contact(1), contact(2)])
    actions().dialogOpened({ kind: 'contact', publicKey: contact(2).publicKey })
    core.emit('contact.removed', { publicKey: contact(1).publicKey })
    expect(state().dialog).toEqual({ kind: 'contact', publicKey: contact(2).publicKey })
    core.emit('contact.removed', { publicKey: contact(2).publicKey })
    expect(state().dialog).toBeNull()
  })
})
