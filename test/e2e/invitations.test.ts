// A group made for chosen people, through the web UI against real daemons: Alice picks Bob from her
// contacts and names the group; Bob's window shows the invitation, he joins with the keyboard, and
// reads Alice's first message in it.
import { after, afterEach, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import type { IdentityInfo } from '../../core/api/contract.ts'
import { assertBrowserTestPrerequisites, eventually, launchChromium, openUserPage, saveScreenshot, webUiUrl } from '../helpers/browser.ts'
import { createTestnet, type DaemonProcess, type Testnet } from '../helpers/testnet.ts'

const UI_TIMEOUT_MS = 20_000
const SCREENS = process.env.BITCHAT_SCREENS_DIR

/** Screenshots at 1280 and 600 px wide, light and dark, when BITCHAT_SCREENS_DIR names a folder. */
async function screens (page: Page, stem: string): Promise<void> {
  if (SCREENS === undefined) return
  fs.mkdirSync(SCREENS, { recursive: true })
  const size = page.viewportSize() ?? { width: 1280, height: 800 }
  for (const width of [1280, 600]) {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width, height: 800 })
      await page.emulateMedia({ colorScheme })
      await page.waitForTimeout(250)
      await page.screenshot({ path: path.join(SCREENS, `${stem}-${width}-${colorScheme}.png`) })
    }
  }
  await page.setViewportSize(size)
  await page.emulateMedia({ colorScheme: 'light' })
}

describe('a group with selected people through the web UI', () => {
  let net: Testnet
  let browser: Browser | undefined
  let alice: DaemonProcess, bob: DaemonProcess
  let bobId: IdentityInfo
  let pageA: Page, pageB: Page

  before(async () => {
    assertBrowserTestPrerequisites()
    net = await createTestnet()
    alice = net.daemon('Alice', { args: ['--web'] })
    bob = net.daemon('Bob', { args: ['--web'] })
    const [urlA, urlB] = await Promise.all([webUiUrl(alice), webUiUrl(bob)])
    bobId = await bob.call('identity.get', {})
    // How they became contacts and met is the contacts test's subject; here a shared channel connects them.
    const created = await alice.call('channels.create', { name: 'lobby', trackers: [net.trackerUrl] })
    await bob.call('channels.join', { uri: created.uri })
    await bob.waitFor('peer.connected', p => p.channelId === created.channelId, UI_TIMEOUT_MS)
    await alice.call('contacts.add', { publicKey: bobId.publicKey, name: 'Bob' })
    browser = await launchChromium()
    ;[pageA, pageB] = await Promise.all([openUserPage(browser, urlA.href), openUserPage(browser, urlB.href)])
    for (const page of [pageA, pageB]) page.setDefaultTimeout(UI_TIMEOUT_MS)
  })

  afterEach(async (t) => {
    if (!('passed' in t) || t.passed) return
    const stem = `failed-invitations-${t.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}`
    await Promise.allSettled([saveScreenshot(pageA, `${stem}-alice.png`), saveScreenshot(pageB, `${stem}-bob.png`)])
  })

  after(async () => {
    await browser?.close()
    await net?.close()
  })

  it('Alice makes a group for Bob from her contacts, with the keyboard, and it opens', async () => {
    await pageA.getByRole('button', { name: 'New channel' }).click()
    await pageA.getByRole('dialog', { name: 'New channel' }).getByRole('button', { name: 'make a group instead' }).click()
    const dialog = pageA.getByRole('dialog', { name: 'New group' })
    await dialog.getByLabel('Group name').fill('trip')
    await pageA.keyboard.press('Tab')
    await pageA.keyboard.type('bo')
    await pageA.keyboard.press('Tab')
    await pageA.keyboard.press('Space')
    assert.equal(await dialog.getByRole('checkbox', { name: /Bob/ }).isChecked(), true)
    await screens(pageA, 'new-group')
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
    await screens(pageB, 'invitation-banner')
    await card.getByRole('button', { name: 'Join' }).focus()
    await pageB.keyboard.press('Enter')
    await pageB.getByRole('heading', { level: 1, name: 'trip' }).waitFor()
    await eventually(async () => {
      assert.deepEqual(await pageB.getByTestId('message').locator('.message__text').allInnerTexts(), ['Welcome to the trip, Bob'])
    }, UI_TIMEOUT_MS)
    assert.equal(await banner.count(), 0)
    await screens(pageB, 'joined-group')
  })

  it('Alice’s trip offers its listed members to invite again, from its invite dialog', async () => {
    await pageA.getByRole('toolbar', { name: 'Channel actions' }).getByRole('button', { name: 'Invite', exact: true }).click()
    await pageA.getByRole('dialog').getByRole('button', { name: 'Invite contacts…' }).click()
    const dialog = pageA.getByRole('dialog', { name: 'Invite people to #trip' })
    await eventually(async () => { assert.equal(await dialog.getByRole('checkbox', { name: /Bob/ }).isDisabled(), false) }, UI_TIMEOUT_MS)
    await screens(pageA, 'invite-people')
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
    await screens(pageB, 'invitations-list')
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
