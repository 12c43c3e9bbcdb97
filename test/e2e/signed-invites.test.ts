// Invitations people can trust and contacts carried as files, through the web UI alone and with the
// keyboard alone, against real daemons: Alice makes a channel and copies its link; Bob is told plainly
// that a copy whose name was edited was altered, and joins with the real one; Alice saves her contact
// file and Bob opens it to add her; inviting people to the channel shows Bob as already in.
import { after, afterEach, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import type { IdentityInfo } from '../../core/api/contract.ts'
import { assertBrowserTestPrerequisites, eventually, launchChromium, openUserPage, pasteOnPage, saveScreenshot, screensAtEverySize, webUiUrl } from '../helpers/browser.ts'
import { createTestnet, type DaemonProcess, type Testnet } from '../helpers/testnet.ts'

const CHANNEL = 'family'
const UI_TIMEOUT_MS = 15_000
const ALTERED = 'This invitation was altered: its channel name or members are not the ones its creator made. Do not trust it; ask the creator for a new one.'

const channelNames = async (page: Page): Promise<string[]> =>
  await page.getByRole('navigation', { name: 'Channels' }).getByTestId('channel-item').locator('.channel-item__name').allInnerTexts()

/** Presses Tab until `target` has the focus, as a keyboard user does; fails if it never comes. */
async function tabTo (page: Page, target: Locator, { back = false, max = 80 } = {}): Promise<void> {
  await target.waitFor()
  for (let i = 0; i < max; i++) {
    if (await target.evaluate(el => el === (el.ownerDocument).activeElement)) return
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab')
  }
  throw new Error(`${max} presses of Tab never reached ${String(target)}`)
}

describe('signed invitations and contact files through the web UI, by keyboard', () => {
  let net: Testnet
  let browser: Browser | undefined
  let alice: DaemonProcess, bob: DaemonProcess
  let aliceId: IdentityInfo
  let pageA: Page, pageB: Page
  let link: string
  let contactFile: string
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bitchat-contact-file-'))

  before(async () => {
    assertBrowserTestPrerequisites()
    net = await createTestnet()
    alice = net.daemon('Alice', { args: ['--web'] })
    bob = net.daemon('Bob', { args: ['--web'] })
    const [urlA, urlB] = await Promise.all([webUiUrl(alice), webUiUrl(bob)])
    aliceId = await alice.call('identity.get', {})
    browser = await launchChromium()
    ;[pageA, pageB] = await Promise.all([openUserPage(browser, urlA.href), openUserPage(browser, urlB.href)])
    await pageA.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: urlA.origin })
    for (const page of [pageA, pageB]) page.setDefaultTimeout(UI_TIMEOUT_MS)
  })

  afterEach(async (t) => {
    if (!('passed' in t) || t.passed) return
    const stem = `failed-signed-${t.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}`
    await Promise.allSettled([saveScreenshot(pageA, `${stem}-alice.png`), saveScreenshot(pageB, `${stem}-bob.png`)])
  })

  after(async () => {
    await browser?.close()
    await net?.close()
    fs.rmSync(folder, { recursive: true, force: true })
  })

  it('Alice creates a channel and copies its link, which carries her signature', async () => {
    await tabTo(pageA, pageA.getByRole('navigation', { name: 'Channels' }).getByRole('button', { name: 'New channel' }))
    await pageA.keyboard.press('Enter')
    const create = pageA.getByRole('dialog', { name: 'New channel' })
    await eventually(async () => { assert.ok(await create.getByLabel('Channel name').evaluate(el => el === el.ownerDocument.activeElement)) })
    await pageA.keyboard.type(CHANNEL)
    await tabTo(pageA, create.getByLabel('Trackers'))
    await pageA.keyboard.press('Control+a')
    await pageA.keyboard.type(net.trackerUrl)
    await tabTo(pageA, create.getByRole('button', { name: 'Create channel' }))
    await pageA.keyboard.press('Enter')
    const share = pageA.getByRole('dialog', { name: `Invite people to #${CHANNEL}` })
    await tabTo(pageA, share.getByRole('button', { name: 'Copy link' }))
    await pageA.keyboard.press('Enter')
    await share.getByRole('button', { name: 'Copied' }).waitFor()
    assert.deepEqual((await alice.call('channels.list', {}))[0]?.trackers, [net.trackerUrl])
    link = await pageA.evaluate(async () => await (globalThis as unknown as { navigator: { clipboard: { readText (): Promise<string> } } }).navigator.clipboard.readText())
    assert.match(link, /^bitchat:\?v=3&n=family&.*&sig=[0-9a-f]{128}$/)
    await pageA.keyboard.press('Escape')
    await share.waitFor({ state: 'detached' })
  })

  it('Bob is told plainly that a copy of the link with another name was altered, and joins nothing', async () => {
    await pageB.getByRole('navigation', { name: 'Channels' }).waitFor()
    await pasteOnPage(pageB, link.replace('n=family', 'n=bank-support'))
    const join = pageB.getByRole('dialog', { name: 'Join a channel' })
    await tabTo(pageB, join.getByRole('button', { name: 'Join with link' }))
    await pageB.keyboard.press('Enter')
    assert.equal(await join.getByRole('alert').innerText(), ALTERED)
    await screensAtEverySize(pageB, 'altered-invitation')
    assert.deepEqual(await bob.call('channels.list', {}), [])
    await pageB.keyboard.press('Escape')
    await join.waitFor({ state: 'detached' })
  })

  it('Bob joins with the link as Alice made it', async () => {
    await pasteOnPage(pageB, link)
    const join = pageB.getByRole('dialog', { name: 'Join a channel' })
    await tabTo(pageB, join.getByRole('button', { name: 'Join with link' }))
    await pageB.keyboard.press('Enter')
    await join.waitFor({ state: 'detached' })
    await eventually(async () => { assert.deepEqual(await channelNames(pageB), [CHANNEL]) })
    await pageB.getByRole('heading', { level: 1, name: CHANNEL }).waitFor()
    await pageB.getByTestId('peer-status').getByText('1 peer connected').waitFor()
  })

  it('Alice saves her contact file from Settings', async () => {
    await tabTo(pageA, pageA.getByRole('button', { name: 'Settings' }))
    await pageA.keyboard.press('Enter')
    const section = pageA.getByRole('dialog', { name: 'Settings' }).getByRole('region', { name: 'Your contact link' })
    const save = section.getByRole('button', { name: 'Save contact file…' })
    await tabTo(pageA, save)
    await screensAtEverySize(pageA, 'settings-contact-file')
    const [download] = await Promise.all([pageA.waitForEvent('download'), pageA.keyboard.press('Enter')])
    assert.equal(download.suggestedFilename(), 'Alice.bitchat-contact')
    contactFile = path.join(folder, download.suggestedFilename())
    await download.saveAs(contactFile)
    assert.match(fs.readFileSync(contactFile, 'utf8'), new RegExp(`^bitchat-contact 1\nkey: ${aliceId.publicKey}\nname: Alice\nfingerprint: ${aliceId.fingerprint}\n$`))
    await pageA.keyboard.press('Escape')
  })

  it('Bob opens it in Add a contact, sees her fingerprint, and adds her', async () => {
    await tabTo(pageB, pageB.getByRole('button', { name: 'Add contact' }))
    await pageB.keyboard.press('Enter')
    const dialog = pageB.getByRole('dialog', { name: 'Add a contact' })
    const open = dialog.getByRole('button', { name: 'Open contact file…' })
    await tabTo(pageB, open)
    await screensAtEverySize(pageB, 'add-contact')
    // What the system's file dialog returns: headless Chromium opens it for a key press only now and then.
    await dialog.getByTestId('contact-file-input').setInputFiles(contactFile)
    assert.equal(await dialog.getByTestId('candidate-fingerprint').innerText(), aliceId.fingerprint)
    await dialog.getByText(/Suggested by the file/).waitFor()
    await screensAtEverySize(pageB, 'add-contact-from-file')
    await eventually(async () => { assert.ok(await dialog.getByLabel('Your name for them').evaluate(el => el === el.ownerDocument.activeElement)) })
    await pageB.keyboard.press('Enter')
    await dialog.waitFor({ state: 'detached' })
    await pageB.getByRole('list', { name: 'Contacts' }).getByRole('button', { name: /Alice/ }).waitFor()
    const [added] = await bob.call('contacts.list', {})
    assert.deepEqual({ publicKey: added?.publicKey, name: added?.name }, { publicKey: aliceId.publicKey, name: 'Alice' })
  })

  it('inviting people to the channel shows Bob as already in, not to be picked', async () => {
    await alice.call('contacts.add', { link: (await bob.call('identity.contactLink', {})).link })
    await tabTo(pageA, pageA.getByRole('toolbar', { name: 'Channel actions' }).getByRole('button', { name: 'Invite' }))
    await pageA.keyboard.press('Enter')
    const share = pageA.getByRole('dialog', { name: `Invite people to #${CHANNEL}` })
    await tabTo(pageA, share.getByRole('button', { name: /Invite contacts/ }))
    await pageA.keyboard.press('Enter')
    const invite = pageA.getByRole('dialog', { name: `Invite people to #${CHANNEL}` })
    const bobBox = invite.getByRole('checkbox', { name: /Bob/ })
    await eventually(async () => { assert.equal(await bobBox.isDisabled(), true) })
    await invite.getByText('Already in this channel').waitFor()
    await screensAtEverySize(pageA, 'invite-already-in')
  })
})
