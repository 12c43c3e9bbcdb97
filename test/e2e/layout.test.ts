// Layout a new user runs into, found by walking through the web UI, mostly in narrow windows (600
// and 500 px): the page itself never scrolls, every control stays inside its column and reachable,
// short labels (pills, badges) stay on one line, and a button stays beside the field it submits.
import { after, afterEach, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Locator, Page } from 'playwright-core'
import { assertBrowserTestPrerequisites, eventually, launchChromium, openUserPage, saveScreenshot, webUiUrl } from '../helpers/browser.ts'
import { createTestnet, type DaemonProcess, type Testnet } from '../helpers/testnet.ts'
import { HandDrivenPeer } from '../helpers/hand-driven-peer.ts'
import { fromHex } from '../../core/codec/hex.ts'
import { createGroupMessage } from '../../core/wire/group-message.ts'
import { encodeMessage } from '../../core/wire/messages.ts'
import { channelPsk } from '../helpers/channel-psk.ts'

const UI_TIMEOUT_MS = 15_000
const UNREAD = 80
const EXTRA_CHANNELS = 30

interface Box { x: number; y: number; width: number; height: number }
/** The page's globals, named by hand inside evaluate callbacks: this project's Node typings have no DOM. */
interface PageGlobals {
  document: { scrollingElement: { scrollHeight: number; scrollWidth: number } }
  innerHeight: number
  innerWidth: number
}

async function boxOf (locator: Locator): Promise<Box> {
  const box = await locator.boundingBox()
  assert.ok(box !== null, 'the element is laid out')
  return box
}

async function lineHeightOf (locator: Locator): Promise<number> {
  return await locator.evaluate(el => Number.parseFloat((globalThis as unknown as { getComputedStyle (e: unknown): { lineHeight: string } }).getComputedStyle(el).lineHeight))
}

const channelItem = (page: Page, name: string) => page.getByRole('navigation', { name: 'Channels' }).getByTestId('channel-item').filter({ hasText: new RegExp(`^${name}`) })

describe('layout', () => {
  let net: Testnet
  let browser: Browser | undefined
  let alice: DaemonProcess, bob: DaemonProcess
  let page: Page
  let updates: { channelId: string; uri: string }

  before(async () => {
    assertBrowserTestPrerequisites()
    net = await createTestnet()
    alice = net.daemon('Alice', { args: ['--web'] })
    bob = net.daemon('Bob', { args: ['--web'] })
    const [, url] = await Promise.all([webUiUrl(alice), webUiUrl(bob)])
    updates = await alice.call('channels.create', { name: 'updates', trackers: [net.trackerUrl] })
    await bob.call('channels.join', { uri: updates.uri })
    const closed = await alice.call('channels.create', { name: 'inner circle', trackers: [], inviteOnly: true, members: [(await bob.call('identity.get', {})).publicKey] })
    await bob.call('channels.join', { uri: closed.uri })
    // More channels than the sidebar has room for.
    const extra = []
    for (let i = 0; i < EXTRA_CHANNELS; i++) extra.push(await bob.call('channels.create', { name: `aaa ${String(i).padStart(2, '0')}`, trackers: [] }))
    const bobKey = (await bob.call('identity.get', {})).publicKey
    await alice.waitFor('peer.connected', p => p.publicKey === bobKey, UI_TIMEOUT_MS)
    for (let i = 0; i < UNREAD; i++) await alice.call('messages.send', { channelId: updates.channelId, text: `update ${i}` })
    await eventually(async () => {
      assert.equal((await bob.call('channels.list', {})).find(c => c.channelId === updates.channelId)?.unread, UNREAD)
    })
    // The sidebar lists the most recently active first: "aaa 00" is what the window opens on, "updates" stays unread.
    await bob.call('messages.send', { channelId: extra[0]!.channelId, text: 'note to self' })
    browser = await launchChromium()
    page = await openUserPage(browser, url.href)
    page.setDefaultTimeout(UI_TIMEOUT_MS)
    await page.getByRole('heading', { level: 1, name: 'aaa 00' }).waitFor()
  })

  afterEach(async (t) => {
    if (!('passed' in t) || t.passed) return
    await saveScreenshot(page, `failed-layout-${t.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}.png`).catch(() => {})
  })

  after(async () => {
    await browser?.close()
    await net?.close()
  })

  it('never scrolls the page itself, however many channels the sidebar lists', async () => {
    for (const width of [1280, 600]) {
      await page.setViewportSize({ width, height: 800 })
      const extent = await page.evaluate(() => {
        const { document, innerHeight, innerWidth } = globalThis as unknown as PageGlobals
        const { scrollHeight, scrollWidth } = document.scrollingElement
        return { scrollHeight, scrollWidth, innerHeight, innerWidth }
      })
      assert.ok(extent.scrollHeight <= extent.innerHeight && extent.scrollWidth <= extent.innerWidth,
        `at ${width} px the page is ${extent.scrollWidth}×${extent.scrollHeight} in a ${extent.innerWidth}×${extent.innerHeight} window`)
    }
  })

  it('keeps the sidebar\'s buttons inside the sidebar', async () => {
    await page.setViewportSize({ width: 600, height: 800 })
    const nav = page.getByRole('navigation', { name: 'Channels' })
    const column = await boxOf(nav)
    for (const name of ['New channel', 'Join']) {
      const button = await boxOf(nav.getByRole('button', { name, exact: true }))
      assert.ok(button.x >= column.x && button.x + button.width <= column.x + column.width + 0.5,
        `"${name}" spans ${button.x}..${button.x + button.width}, the sidebar ${column.x}..${column.x + column.width}`)
    }
    await saveScreenshot(page, 'narrow-sidebar-600.png')
  })

  it('offers Invite in a narrow window, as an icon named for what it does', async () => {
    await page.setViewportSize({ width: 600, height: 800 })
    const invite = page.getByRole('toolbar', { name: 'Channel actions' }).getByRole('button', { name: 'Invite' })
    assert.ok(await invite.isVisible(), 'the Invite button shows at 600 px')
    await invite.click()
    const dialog = page.getByRole('dialog', { name: 'Invite people to #aaa 00' })
    await dialog.waitFor()
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
  })

  it('keeps the channel\'s status, its mode and "Jump to new messages" on one line each at 500 px, clear of the header\'s buttons', async () => {
    await page.setViewportSize({ width: 500, height: 800 })
    await channelItem(page, 'inner circle').click()
    await page.getByRole('heading', { level: 1, name: 'inner circle' }).waitFor()
    const mode = page.locator('.conversation__mode')
    assert.ok((await boxOf(mode)).height < (await lineHeightOf(mode)) * 1.5, 'the "Invite-only" badge is one line')

    await channelItem(page, 'updates').click()
    await page.getByRole('heading', { level: 1, name: 'updates' }).waitFor()
    const actions = await boxOf(page.getByRole('toolbar', { name: 'Channel actions' }))
    const modeBox = await boxOf(mode)
    assert.ok(modeBox.x + modeBox.width <= actions.x, `the mode badge (${modeBox.x}..${modeBox.x + modeBox.width}) runs under the header's buttons (from ${actions.x})`)
    const status = page.getByTestId('peer-status')
    const statusBox = await boxOf(status)
    assert.ok(statusBox.height < (await lineHeightOf(status)) * 1.5, `"${await status.innerText()}" is one line`)
    assert.ok(statusBox.x + statusBox.width <= actions.x, `the peer status (${statusBox.x}..${statusBox.x + statusBox.width}) runs under the header's buttons (from ${actions.x})`)
    const dot = await boxOf(page.locator('.conversation__status .presence'))
    assert.ok(dot.y >= statusBox.y && dot.y + dot.height <= statusBox.y + statusBox.height, 'the presence dot stays beside the words it stands for')
    await page.getByTestId('unread-divider').waitFor()
    const list = page.getByTestId('message-list')
    // Past the divider, not yet at the newest message.
    await list.evaluate(el => { el.scrollTop += 600 })
    const pill = page.getByRole('button', { name: 'Jump to new messages' })
    await pill.waitFor()
    assert.ok((await boxOf(pill)).height < (await lineHeightOf(pill)) * 1.5 + 16, `the pill is one line (${(await boxOf(pill)).height} px)`)
    await saveScreenshot(page, 'narrow-pill-500.png')
  })
  it('keeps "Save name" level with the name field once "Saved." shows beneath it', async () => {
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.getByRole('button', { name: 'Settings' }).click()
    const dialog = page.getByRole('dialog', { name: 'Settings' })
    const name = dialog.getByLabel('Display name')
    await name.fill('Robert')
    await dialog.getByRole('button', { name: 'Save name' }).click()
    await dialog.getByText('Saved.').waitFor()
    const field = await boxOf(name)
    const button = await boxOf(dialog.getByRole('button', { name: 'Save name' }))
    const middle = (box: Box): number => box.y + box.height / 2
    assert.ok(Math.abs(middle(field) - middle(button)) < 2, `the field's middle is at ${middle(field)}, the button's at ${middle(button)}`)
    await page.keyboard.press('Escape')
  })

  it('draws the theme switch around its three choices, not across the whole dialog', async () => {
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.getByRole('button', { name: 'Settings' }).click()
    const dialog = page.getByRole('dialog', { name: 'Settings' })
    const group = await boxOf(dialog.getByRole('group', { name: 'Theme' }))
    const last = await boxOf(dialog.locator('.segmented__option').last())
    assert.ok(group.x + group.width - (last.x + last.width) < 8, `the switch ends at ${group.x + group.width}, its last choice at ${last.x + last.width}`)
    await page.keyboard.press('Escape')
  })

  it('keeps the "Sent conflicting messages" badge whole in a narrow window', async () => {
    const liar = new HandDrivenPeer((await bob.call('settings.get', {})).listenPort, channelPsk(updates.uri))
    try {
      await liar.established
      liar.hello({ name: 'Someone with a long name', tcpPort: 0, observedAddress: '127.0.0.1:1' })
      for (const text of ['the meeting is at noon', 'the meeting is cancelled']) {
        liar.send(encodeMessage({ raw: createGroupMessage({ channelId: fromHex(updates.channelId), author: liar.identity, seq: 1, timestamp: Date.now(), text }).raw }))
      }
      await page.setViewportSize({ width: 500, height: 800 })
      await channelItem(page, 'updates').click()
      const latest = page.getByRole('button', { name: 'Jump to latest' })
      if (await latest.isVisible()) await latest.click()
      const badge = page.getByTestId('message-list').locator('.tag--flagged').first()
      await badge.waitFor()
      const rects = await badge.evaluate(el => el.getClientRects().length)
      assert.equal(rects, 1, 'the badge is drawn in one piece, not broken over two lines')
      await saveScreenshot(page, 'narrow-flagged-500.png')
    } finally {
      liar.destroy()
    }
  })
})
