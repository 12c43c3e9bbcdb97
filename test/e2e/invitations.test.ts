// A group made for chosen people, through the web UI against real daemons: Alice picks Bob from her
// contacts and names the group; Bob's window shows the invitation, he joins with the keyboard, and
// reads Alice's first message in it.
import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import type { IdentityInfo } from '../../core/api/contract.ts'
import { eventually, screensAtEverySize } from '../helpers/browser.ts'
import type { DaemonProcess } from '../helpers/testnet.ts'
import { webUsers } from '../helpers/web-users.ts'

const UI_TIMEOUT_MS = 20_000

describe('a group with selected people through the web UI', () => {
  let alice: DaemonProcess, bob: DaemonProcess
  let bobId: IdentityInfo
  let pageA: Page, pageB: Page

  const web = webUsers(['Alice', 'Bob'], {
    stem: 'invitations',
    timeoutMs: UI_TIMEOUT_MS,
    meet: async ({ net, users: [a, b] }) => {
      // How they became contacts and met is the contacts test's subject; here a shared channel connects them.
      const created = await a!.daemon.call('channels.create', { name: 'lobby', trackers: [net.trackerUrl] })
      await b!.daemon.call('channels.join', { uri: created.uri })
      await b!.daemon.waitFor('peer.connected', p => p.channelId === created.channelId, UI_TIMEOUT_MS)
      await a!.daemon.call('contacts.add', { publicKey: b!.id.publicKey, name: 'Bob' })
    }
  })

  before(() => {
    const [a, b] = web.users
    ;[alice, bob, bobId, pageA, pageB] = [a!.daemon, b!.daemon, b!.id, a!.page, b!.page]
  })

  it('Alice makes a group for Bob from her contacts, with the keyboard, and it opens', async () => {
    await pageA.getByRole('navigation', { name: 'Channels' }).getByRole('button', { name: 'New channel' }).click()
    await pageA.getByRole('dialog', { name: 'New channel' }).getByRole('button', { name: 'make a group instead' }).click()
    const dialog = pageA.getByRole('dialog', { name: 'New group' })
    await dialog.getByLabel('Group name').fill('trip')
    await pageA.keyboard.press('Tab')
    await pageA.keyboard.type('bo')
    await pageA.keyboard.press('Tab')
    await pageA.keyboard.press('Space')
    assert.equal(await dialog.getByRole('checkbox', { name: /Bob/ }).isChecked(), true)
    await screensAtEverySize(pageA, 'new-group')
    await dialog.getByRole('button', { name: 'Create group' }).press('Enter')
    await pageA.getByRole('heading', { level: 1, name: 'trip' }).waitFor()
    const composer = pageA.getByRole('textbox', { name: 'Message' })
    await composer.fill('Welcome to the trip, Bob')
    await composer.press('Enter')
  })

  it('Bob’s window shows the invitation; he joins and reads Alice’s first message', async () => {
    const banner = pageB.getByRole('region', { name: 'Invitations' })
    const card = banner.getByTestId('invitation')
    await eventually(async () => {
      assert.match(await card.innerText(), /Alice invited you to #trip \(invite-only, 2 members\)/)
    }, UI_TIMEOUT_MS)
    await screensAtEverySize(pageB, 'invitation-banner')
    await card.getByRole('button', { name: 'Join' }).focus()
    await pageB.keyboard.press('Enter')
    await pageB.getByRole('heading', { level: 1, name: 'trip' }).waitFor()
    await eventually(async () => {
      assert.deepEqual(await pageB.getByTestId('message').locator('.message__text').allInnerTexts(), ['Welcome to the trip, Bob'])
    }, UI_TIMEOUT_MS)
    assert.equal(await banner.count(), 0)
    await screensAtEverySize(pageB, 'joined-group')
  })

  it('Alice’s trip shows Bob, who joined, as already in from its invite dialog, not to be invited again', async () => {
    await pageA.getByRole('toolbar', { name: 'Channel actions' }).getByRole('button', { name: 'Invite', exact: true }).click()
    await pageA.getByRole('dialog').getByRole('button', { name: 'Invite contacts…' }).click()
    const dialog = pageA.getByRole('dialog', { name: 'Invite people to #trip' })
    await eventually(async () => { assert.equal(await dialog.getByRole('checkbox', { name: /Bob/ }).isDisabled(), true) }, UI_TIMEOUT_MS)
    await dialog.getByText('Already in this channel').waitFor()
    await screensAtEverySize(pageA, 'invite-people')
    await pageA.keyboard.press('Escape')
  })

  it('two more invitations collapse into a count whose list Bob answers with the keyboard', async () => {
    await alice.call('channels.invite', { name: 'dinner', publicKeys: [bobId.publicKey] })
    await alice.call('channels.invite', { name: 'hike', publicKeys: [bobId.publicKey] })
    const banner = pageB.getByRole('region', { name: 'Invitations' })
    await eventually(async () => { assert.match(await banner.innerText(), /2 invitations/) }, UI_TIMEOUT_MS)
    await banner.getByRole('button', { name: 'Show invitations' }).focus()
    await pageB.keyboard.press('Enter')
    const dialog = pageB.getByRole('dialog', { name: 'Invitations' })
    await eventually(async () => { assert.equal(await dialog.getByTestId('invitation').count(), 2) }, UI_TIMEOUT_MS)
    await screensAtEverySize(pageB, 'invitations-list')
    await dialog.getByTestId('invitation').filter({ hasText: '#dinner' }).getByRole('button', { name: 'Decline' }).focus()
    await pageB.keyboard.press('Enter')
    await eventually(async () => { assert.equal(await dialog.getByTestId('invitation').count(), 1) }, UI_TIMEOUT_MS)
    await dialog.getByRole('button', { name: 'Join' }).focus()
    await pageB.keyboard.press('Enter')
    await pageB.getByRole('heading', { level: 1, name: 'hike' }).waitFor()
    assert.equal(await dialog.count(), 0)
    assert.equal(await banner.count(), 0)
    assert.deepEqual((await bob.call('invitations.list', {})).map(i => [i.name, i.status]).sort(), [['dinner', 'declined'], ['hike', 'accepted'], ['trip', 'accepted']])
  })
})
