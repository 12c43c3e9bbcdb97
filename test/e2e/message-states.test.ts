// What happened to each message, as its sender sees it, through the web UI against real daemons:
// Alice's mark goes to delivered once Bob's daemon holds her message, to read once Bob opens the
// channel in his window, and stays at delivered for what Bob reads after turning read receipts off.
import { after, afterEach, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'
import type { IdentityInfo } from '../../core/api/contract.ts'
import { assertBrowserTestPrerequisites, eventually, launchChromium, openUserPage, saveScreenshot, webUiUrl } from '../helpers/browser.ts'
import { createTestnet, type DaemonProcess, type Testnet } from '../helpers/testnet.ts'

const UI_TIMEOUT_MS = 15_000

/** The state mark of Alice's message with this text, as a screen reader reads it. */
const markOf = (page: Page, text: string) =>
  page.getByTestId('message').filter({ has: page.locator('.message__text', { hasText: text }) }).getByTestId('message-state')

async function send (page: Page, text: string): Promise<void> {
  const composer = page.getByRole('textbox', { name: 'Message' })
  await composer.fill(text)
  await composer.press('Enter')
  await markOf(page, text).waitFor()
}

/** Waits for a dialog's opening animation to end, so a screenshot shows it as people see it. */
async function settled (page: Page): Promise<void> {
  await page.waitForFunction(() => {
    // Runs in the page; this project's Node typings have no DOM, so its document is named by hand.
    const { document } = globalThis as unknown as { document: { getAnimations (): Array<{ playState: string }> } }
    return document.getAnimations().every(a => a.playState !== 'running')
  })
}

async function unreadOf (daemon: DaemonProcess, channelId: string): Promise<number> {
  return (await daemon.call('channels.list', {})).find(c => c.channelId === channelId)?.unread ?? -1
}

describe('message states through the web UI', () => {
  let net: Testnet
  let browser: Browser | undefined
  let alice: DaemonProcess, bob: DaemonProcess
  let bobId: IdentityInfo
  let pageA: Page, pageB: Page | undefined
  let channelId: string
  let urlB: URL

  before(async () => {
    assertBrowserTestPrerequisites()
    net = await createTestnet()
    alice = net.daemon('Alice', { args: ['--web'] })
    bob = net.daemon('Bob', { args: ['--web'] })
    const [urlA, b] = await Promise.all([webUiUrl(alice), webUiUrl(bob)])
    urlB = b
    bobId = await bob.call('identity.get', {})
    const created = await alice.call('channels.create', { name: 'book-club', trackers: [net.trackerUrl] })
    channelId = created.channelId
    await bob.call('channels.join', { uri: created.uri })
    await bob.waitFor('peer.connected', p => p.channelId === channelId, UI_TIMEOUT_MS)
    browser = await launchChromium()
    // Bob's window opens later: until then his daemon receives, but nobody reads.
    pageA = await openUserPage(browser, urlA.href)
    pageA.setDefaultTimeout(UI_TIMEOUT_MS)
  })

  afterEach(async (t) => {
    if (!('passed' in t) || t.passed) return
    const stem = `failed-states-${t.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}`
    await Promise.allSettled([saveScreenshot(pageA, `${stem}-alice.png`), ...(pageB === undefined ? [] : [saveScreenshot(pageB, `${stem}-bob.png`)])])
  })

  after(async () => {
    await browser?.close()
    await net?.close()
  })

  it('marks Alice’s message delivered once Bob’s daemon holds it, while Bob has not looked', async () => {
    await pageA.getByRole('heading', { level: 1, name: 'book-club' }).waitFor()
    await send(pageA, 'Chapter four tonight?')
    await eventually(async () => { assert.equal(await markOf(pageA, 'Chapter four tonight?').textContent(), 'Delivered to 1 of 1 member') }, UI_TIMEOUT_MS)
    assert.equal(await markOf(pageA, 'Chapter four tonight?').getAttribute('data-state'), 'delivered')
    assert.equal(await unreadOf(bob, channelId), 1, 'Bob has not read it')
  })

  it('marks it read once Bob opens the channel in his window', async () => {
    pageB = await openUserPage(browser!, urlB.href)
    pageB.setDefaultTimeout(UI_TIMEOUT_MS)
    await pageB.getByTestId('message').filter({ hasText: 'Chapter four tonight?' }).waitFor()
    await eventually(async () => { assert.equal(await markOf(pageA, 'Chapter four tonight?').textContent(), 'Read by 1 of 1 member') }, UI_TIMEOUT_MS)
    assert.equal(await markOf(pageA, 'Chapter four tonight?').getAttribute('data-state'), 'read')
  })

  it('shows who read it in the message details, opened from the mark with the keyboard', async () => {
    await markOf(pageA, 'Chapter four tonight?').focus()
    await pageA.keyboard.press('Enter')
    const dialog = pageA.getByRole('dialog', { name: 'Message details' })
    await dialog.getByRole('region', { name: /^Read by — 1/ }).getByText(bobId.name, { exact: true }).waitFor()
    await pageA.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
  })

  it('Bob turns read receipts off in Settings, with the keyboard', async () => {
    const page = pageB!
    await page.getByRole('button', { name: 'Settings' }).focus()
    await page.keyboard.press('Enter')
    const toggle = page.getByRole('dialog', { name: 'Settings' }).getByRole('switch', { name: 'Send read receipts' })
    assert.equal(await toggle.isChecked(), true)
    await toggle.focus()
    await page.keyboard.press('Space')
    await eventually(async () => { assert.equal(await toggle.isChecked(), false) })
    assert.equal((await bob.call('settings.get', {})).readReceipts, false)
    await page.keyboard.press('Escape')
    await page.getByRole('dialog', { name: 'Settings' }).waitFor({ state: 'detached' })
  })

  it('keeps what Bob reads now at delivered on Alice’s side', async () => {
    await send(pageA, 'Or Friday?')
    await pageB!.getByTestId('message').filter({ hasText: 'Or Friday?' }).waitFor()
    // Bob's window has it in view and marks it read, as it did the first one.
    await eventually(async () => { assert.equal(await unreadOf(bob, channelId), 0) }, UI_TIMEOUT_MS)
    // A receipt Bob sends after that read carries his read position too: once Alice hears of a
    // later message delivered, any read of the earlier one would have reached her.
    await send(pageA, 'Either works for me.')
    // Delivered, not merely past 'sent': right after sending it is 'sending', which is not 'sent' either.
    await eventually(async () => { assert.equal(await markOf(pageA, 'Either works for me.').getAttribute('data-state'), 'delivered') }, UI_TIMEOUT_MS)
    assert.equal(await markOf(pageA, 'Or Friday?').textContent(), 'Delivered to 1 of 1 member')
    assert.equal(await markOf(pageA, 'Chapter four tonight?').textContent(), 'Read by 1 of 1 member')
    const [receipt] = await alice.call('channels.receipts', { channelId })
    assert.equal(receipt?.read, 1)
  })

  it('leaves screenshots at 1280 and 600 px, light and dark', async () => {
    const page = pageB!
    for (const p of [pageA, page]) await p.mouse.move(0, 0)
    for (const scheme of ['light', 'dark'] as const) {
      for (const width of [1280, 600]) {
        for (const p of [pageA, page]) {
          await p.emulateMedia({ colorScheme: scheme })
          await p.setViewportSize({ width, height: 800 })
        }
        const shot = `${width}-${scheme}.png`
        await markOf(pageA, 'Either works for me.').waitFor()
        await saveScreenshot(pageA, `states-alice-${shot}`)
        await markOf(pageA, 'Or Friday?').click()
        await pageA.getByRole('dialog', { name: 'Message details' }).getByRole('region', { name: /^Delivered to — 1/ }).waitFor()
        await settled(pageA)
        await saveScreenshot(pageA, `states-details-alice-${shot}`)
        await pageA.keyboard.press('Escape')
        await page.getByRole('button', { name: 'Settings' }).click()
        const toggle = page.getByRole('dialog', { name: 'Settings' }).getByRole('switch', { name: 'Send read receipts' })
        await toggle.scrollIntoViewIfNeeded()
        await settled(page)
        await saveScreenshot(page, `states-privacy-bob-${shot}`)
        await page.keyboard.press('Escape')
      }
    }
  })
})
