// Two people make each other contacts and verify each other through the web UI alone, against
// real daemons: Alice copies her contact link, Bob pastes it, both compare the safety code, Bob
// marks Alice verified and sees the badge by her messages, then blocks her and stops seeing them.
import { after, afterEach, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Browser, Page } from 'playwright-core'
import type { IdentityInfo } from '../../core/api/contract.ts'
import { assertBrowserTestPrerequisites, eventually, launchChromium, openUserPage, pasteOnPage, saveScreenshot, webUiUrl } from '../helpers/browser.ts'
import { createTestnet, waitUntil, type DaemonProcess, type Testnet } from '../helpers/testnet.ts'

const UI_TIMEOUT_MS = 15_000

const contactList = (page: Page) => page.getByRole('list', { name: 'Contacts' })
const members = (page: Page) => page.getByRole('complementary', { name: 'Members' }).getByTestId('member')
const messageTexts = async (page: Page): Promise<string[]> => await page.getByTestId('message').locator('.message__text').allInnerTexts()

/** The groups of the safety code the open verify dialog shows, as written on screen. */
async function shownSafetyCode (page: Page): Promise<string[]> {
  const code = page.getByRole('dialog').getByTestId('safety-code')
  await code.waitFor()
  return await code.locator('li > [aria-hidden="true"]').allInnerTexts()
}

describe('contacts and verification through the web UI', () => {
  let net: Testnet
  let browser: Browser | undefined
  let alice: DaemonProcess, bob: DaemonProcess
  let aliceId: IdentityInfo, bobId: IdentityInfo
  let pageA: Page, pageB: Page
  let channelId: string
  let aliceLink: string

  before(async () => {
    assertBrowserTestPrerequisites()
    net = await createTestnet()
    alice = net.daemon('Alice', { args: ['--web'] })
    bob = net.daemon('Bob', { args: ['--web'] })
    const [urlA, urlB] = await Promise.all([webUiUrl(alice), webUiUrl(bob)])
    ;[aliceId, bobId] = await Promise.all([alice.call('identity.get', {}), bob.call('identity.get', {})])
    // Meeting in a channel is the two-users test's subject; here it is only where they talk.
    const created = await alice.call('channels.create', { name: 'book-club', trackers: [net.trackerUrl] })
    channelId = created.channelId
    await bob.call('channels.join', { uri: created.uri })
    await bob.waitFor('peer.connected', p => p.channelId === channelId, UI_TIMEOUT_MS)
    browser = await launchChromium()
    ;[pageA, pageB] = await Promise.all([openUserPage(browser, urlA.href), openUserPage(browser, urlB.href)])
    await pageA.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: urlA.origin })
    for (const page of [pageA, pageB]) page.setDefaultTimeout(UI_TIMEOUT_MS)
  })

  afterEach(async (t) => {
    if (!('passed' in t) || t.passed) return
    const stem = `failed-contacts-${t.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}`
    await Promise.allSettled([saveScreenshot(pageA, `${stem}-alice.png`), saveScreenshot(pageB, `${stem}-bob.png`)])
  })

  after(async () => {
    await browser?.close()
    await net?.close()
  })

  it('Alice copies her contact link from Settings', async () => {
    await pageA.getByRole('button', { name: 'Settings' }).click()
    const section = pageA.getByRole('dialog', { name: 'Settings' }).getByRole('region', { name: 'Your contact link' })
    await section.getByRole('img', { name: 'QR code of your contact link' }).waitFor()
    await section.getByRole('button', { name: 'Copy link' }).click()
    await section.getByRole('button', { name: 'Copied' }).waitFor()
    aliceLink = await pageA.evaluate(async () => await (globalThis as unknown as { navigator: { clipboard: { readText (): Promise<string> } } }).navigator.clipboard.readText())
    assert.equal(aliceLink, (await alice.call('identity.contactLink', {})).link)
    assert.match(aliceLink, /^bitchat:contact\?/)
    await pageA.keyboard.press('Escape')
    await pageA.getByRole('dialog').waitFor({ state: 'detached' })
  })

  it('Bob pastes it on his window, checks her fingerprint and adds her', async () => {
    await pageB.getByRole('heading', { level: 1, name: 'book-club' }).waitFor()
    await pasteOnPage(pageB, aliceLink)
    const dialog = pageB.getByRole('dialog', { name: 'Add a contact' })
    assert.equal(await dialog.getByTestId('candidate-fingerprint').innerText(), aliceId.fingerprint)
    const name = dialog.getByLabel('Your name for them')
    assert.equal(await name.inputValue(), aliceId.name)
    await dialog.getByText(/only a suggestion/).waitFor()
    await name.fill('Alice from the club')
    await dialog.getByRole('button', { name: 'Add contact' }).click()
    await dialog.waitFor({ state: 'detached' })
    await contactList(pageB).getByRole('button', { name: /Alice from the club/ }).waitFor()
    const [added] = await bob.call('contacts.list', {})
    assert.deepEqual({ publicKey: added?.publicKey, name: added?.name }, { publicKey: aliceId.publicKey, name: 'Alice from the club' })
  })

  it('Alice adds Bob from her members panel', async () => {
    await members(pageA).first().waitFor()
    await pageA.getByRole('button', { name: `Add ${bobId.name} to contacts` }).click()
    const dialog = pageA.getByRole('dialog', { name: 'Add a contact' })
    assert.equal(await dialog.getByTestId('candidate-fingerprint').innerText(), bobId.fingerprint)
    await dialog.getByRole('button', { name: 'Add contact' }).click()
    await dialog.waitFor({ state: 'detached' })
    await contactList(pageA).getByRole('button', { name: new RegExp(bobId.name) }).waitFor()
    await members(pageA).getByRole('button', { name: `Contact details: ${bobId.name}` }).waitFor()
  })

  it('both open the verify dialog and see the same safety code', async () => {
    await contactList(pageB).getByRole('button', { name: /Alice from the club/ }).click()
    await pageB.getByRole('dialog', { name: 'Alice from the club' }).getByRole('button', { name: 'Verify…' }).click()
    await pageB.getByRole('dialog', { name: 'Verify Alice from the club' }).waitFor()
    await contactList(pageA).getByRole('button', { name: new RegExp(bobId.name) }).click()
    await pageA.getByRole('dialog').getByRole('button', { name: 'Verify…' }).click()
    const [codeA, codeB] = await Promise.all([shownSafetyCode(pageA), shownSafetyCode(pageB)])
    assert.equal(codeA.length, 12)
    for (const group of codeA) assert.match(group, /^\d{5}$/)
    assert.deepEqual(codeB, codeA)
    await pageB.getByRole('dialog').getByRole('img', { name: 'QR code of your safety code with Alice from the club' }).waitFor()
    await saveScreenshot(pageB, 'contacts-verify-bob.png')
    await pageA.keyboard.press('Escape')
  })

  it('Bob marks Alice verified, and the badge shows by her messages', async () => {
    const dialog = pageB.getByRole('dialog', { name: 'Verify Alice from the club' })
    await dialog.getByRole('button', { name: 'Mark as verified' }).click()
    await dialog.getByText('Alice from the club is verified.').waitFor()
    await pageB.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    await waitUntil(async () => (await bob.call('contacts.list', {}))[0]?.verified === true, UI_TIMEOUT_MS, 'the verification stored')

    await alice.call('messages.send', { channelId, text: 'Chapter four tonight?' })
    const fromAlice = pageB.getByTestId('message').filter({ hasText: 'Chapter four tonight?' })
    await fromAlice.waitFor()
    assert.equal(await fromAlice.locator('.person-name__name').innerText(), 'Alice from the club')
    await fromAlice.getByTestId('verified-badge').waitFor()
    await contactList(pageB).getByTestId('verified-badge').waitFor()
    await pageB.mouse.move(0, 0)
    await saveScreenshot(pageB, 'contacts-verified-bob.png')
  })

  it('Bob blocks Alice: her messages go, and new ones do not appear', async () => {
    await contactList(pageB).getByRole('button', { name: /Alice from the club/ }).click()
    const dialog = pageB.getByRole('dialog', { name: 'Alice from the club' })
    await dialog.getByRole('button', { name: 'Block…' }).click()
    await dialog.getByRole('group', { name: 'Block Alice from the club?' }).getByRole('button', { name: 'Block' }).click()
    await dialog.getByTestId('contact-status').getByText('Blocked').waitFor()
    await pageB.keyboard.press('Escape')
    await contactList(pageB).locator('.contact-item--blocked').waitFor()
    await eventually(async () => { assert.deepEqual(await messageTexts(pageB), []) })
    await bob.waitFor('peer.disconnected', p => p.publicKey === aliceId.publicKey, UI_TIMEOUT_MS)

    await alice.call('messages.send', { channelId, text: 'Are you ignoring me?' })
    const composer = pageB.getByRole('textbox', { name: 'Message' })
    await composer.fill('Anyone else reading?')
    await composer.press('Enter')
    await pageB.getByTestId('message').filter({ hasText: 'Anyone else reading?' }).waitFor()
    // Nothing announces a message that never comes: give Alice's redials a moment to be refused.
    await sleep(2_000)
    assert.deepEqual(await messageTexts(pageB), ['Anyone else reading?'])
    assert.deepEqual((await bob.call('messages.list', { channelId })).map(m => m.text), ['Anyone else reading?'])
    await saveScreenshot(pageB, 'contacts-blocked-bob.png')
  })
})
