// A member who was away gets hundreds of messages at once, grouped as the core stores them: the
// window must count them, open where they start, reach the newest, and keep taking live ones.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'
import { assertBrowserTestPrerequisites, eventually, launchChromium, openUserPage, saveScreenshot, webUiUrl } from '../helpers/browser.ts'
import { createTestnet, type DaemonProcess, type Testnet } from '../helpers/testnet.ts'

const BACKLOG = 300
const LIVE = 150

describe('catching up in the web UI', () => {
  let net: Testnet
  let browser: Browser | undefined
  let alice: DaemonProcess, bob: DaemonProcess
  let page: Page
  let channelId: string

  before(async () => {
    assertBrowserTestPrerequisites()
    net = await createTestnet()
    alice = net.daemon('Alice')
    bob = net.daemon('Bob', { args: ['--web'] })
    browser = await launchChromium()
    page = await openUserPage(browser, (await webUiUrl(bob)).href)
    page.setDefaultTimeout(20_000)
  })

  after(async () => {
    await browser?.close()
    await net?.close()
  })

  const lastMessageText = async (): Promise<string | null> =>
    await page.getByTestId('message').last().locator('.message__text').textContent()

  it('counts a backlog of hundreds as unread in the sidebar', async () => {
    const created = await alice.call('channels.create', { name: 'backlog', trackers: [net.trackerUrl] })
    channelId = created.channelId
    for (let i = 0; i < BACKLOG; i++) await alice.call('messages.send', { channelId, text: `history ${i}` })
    await bob.call('channels.join', { uri: created.uri })
    const item = page.getByRole('navigation', { name: 'Channels' }).getByTestId('channel-item').filter({ hasText: 'backlog' })
    await eventually(async () => { assert.equal(await item.getByTestId('unread-badge').textContent(), '99+ unread') })
    assert.equal((await bob.call('channels.list', {}))[0]?.unread, BACKLOG)
    await saveScreenshot(page, 'catch-up-sidebar.png')
  })

  it('opens at the first unread message, jumps to the latest, and live messages sent meanwhile follow once each', async () => {
    await page.getByRole('navigation', { name: 'Channels' }).getByTestId('channel-item').filter({ hasText: 'backlog' }).click()
    await page.getByTestId('unread-divider').waitFor()
    assert.equal(await page.getByTestId('message').first().locator('.message__text').textContent(), 'history 0')
    await page.getByRole('button', { name: 'Jump to latest' }).click()
    await eventually(async () => { assert.equal(await lastMessageText(), `history ${BACKLOG - 1}`) })
    await Promise.all(Array.from({ length: LIVE }, (_, i) => alice.call('messages.send', { channelId, text: `live ${i}` })))
    await eventually(async () => { assert.equal(await lastMessageText(), `live ${LIVE - 1}`) })
    const texts = await page.getByTestId('message').locator('.message__text').allInnerTexts()
    assert.equal(new Set(texts).size, texts.length, 'no message shown twice')
    assert.ok(texts.length < 100, `the list stays windowed (${texts.length} rows in the page)`)
    assert.equal((await bob.call('messages.list', { channelId, limit: 1000 })).length, BACKLOG + LIVE)
    await saveScreenshot(page, 'catch-up-open.png')
  })
})
