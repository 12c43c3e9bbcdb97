// The everyday things a new user runs into, tried in a real browser against real daemons: where
// a channel opens, whether the list follows new messages, what a dialog does with the keyboard,
// right-to-left text, a leave and a join again, and dialogs in a narrow window.
import { after, afterEach, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Locator, Page } from 'playwright-core'
import { assertBrowserTestPrerequisites, eventually, launchChromium, openUserPage, saveScreenshot, webUiUrl } from '../helpers/browser.ts'
import { createTestnet, type DaemonProcess, type Testnet } from '../helpers/testnet.ts'

const UI_TIMEOUT_MS = 15_000
const UNREAD = 80

interface Box { x: number; y: number; width: number; height: number }
/** The page's globals, named by hand inside evaluate callbacks: this project's Node typings have no DOM. */
interface PageGlobals {
  document: { activeElement: unknown; body: unknown }
  getComputedStyle (el: unknown): { direction: string; overflowX: string }
}

async function boxOf (locator: Locator): Promise<Box> {
  const box = await locator.boundingBox()
  assert.ok(box !== null, 'the element is laid out')
  return box
}

const overlaps = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height

function clip (box: Box, to: Box): Box | null {
  const x = Math.max(box.x, to.x)
  const y = Math.max(box.y, to.y)
  const width = Math.min(box.x + box.width, to.x + to.width) - x
  const height = Math.min(box.y + box.height, to.y + to.height) - y
  return width > 0 && height > 0 ? { x, y, width, height } : null
}

const list = (page: Page) => page.getByTestId('message-list')
const messageWithText = (page: Page, text: string) => page.getByTestId('message').filter({ has: page.locator('.message__text', { hasText: new RegExp(`^${text}$`) }) })
const channelItem = (page: Page, name: string) => page.getByRole('navigation', { name: 'Channels' }).getByTestId('channel-item').filter({ hasText: name })

/** The message is drawn and its bubble lies wholly inside the list's visible area. */
async function assertFullyVisible (page: Page, text: string): Promise<void> {
  const bubble = await boxOf(messageWithText(page, text).locator('.message__bubble'))
  const view = await boxOf(list(page))
  assert.ok(bubble.y >= view.y - 0.5 && bubble.y + bubble.height <= view.y + view.height + 0.5,
    `"${text}" at ${bubble.y}..${bubble.y + bubble.height}, list shows ${view.y}..${view.y + view.height}`)
}

async function distanceFromBottom (page: Page): Promise<number> {
  return await list(page).evaluate(el => el.scrollHeight - el.scrollTop - el.clientHeight)
}

async function unreadOf (daemon: DaemonProcess, channelId: string): Promise<number> {
  return (await daemon.call('channels.list', {})).find(c => c.channelId === channelId)?.unread ?? -1
}

describe('everyday use in the browser', () => {
  let net: Testnet
  let browser: Browser | undefined
  let alice: DaemonProcess, bob: DaemonProcess
  let pageA: Page, pageB: Page
  let updates: { channelId: string; uri: string }

  before(async () => {
    assertBrowserTestPrerequisites()
    net = await createTestnet()
    alice = net.daemon('Alice', { args: ['--web'] })
    bob = net.daemon('Bob', { args: ['--web'] })
    const [urlA, urlB] = await Promise.all([webUiUrl(alice), webUiUrl(bob)])
    updates = await alice.call('channels.create', { name: 'updates', trackers: [net.trackerUrl] })
    await bob.call('channels.join', { uri: updates.uri })
    // Sorted by name, the lounge is what Bob's window opens on.
    await bob.call('channels.create', { name: 'lounge', trackers: [] })
    const bobKey = (await bob.call('identity.get', {})).publicKey
    await alice.waitFor('peer.connected', p => p.publicKey === bobKey, UI_TIMEOUT_MS)
    browser = await launchChromium()
    ;[pageA, pageB] = await Promise.all([openUserPage(browser, urlA.href), openUserPage(browser, urlB.href)])
    for (const page of [pageA, pageB]) page.setDefaultTimeout(UI_TIMEOUT_MS)
    await pageB.getByRole('heading', { level: 1, name: 'lounge' }).waitFor()
  })

  afterEach(async (t) => {
    if (!('passed' in t) || t.passed) return
    const stem = `failed-everyday-${t.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}`
    await Promise.allSettled([saveScreenshot(pageA, `${stem}-alice.png`), saveScreenshot(pageB, `${stem}-bob.png`)])
  })

  after(async () => {
    await browser?.close()
    await net?.close()
  })

  it('opens a channel with unread messages at the first unread one, under a divider, and keeps the count until they are seen', async () => {
    for (let i = 0; i < UNREAD; i++) await alice.call('messages.send', { channelId: updates.channelId, text: `update ${i}` })
    await channelItem(pageB, 'updates').getByTestId('unread-badge').filter({ hasText: String(UNREAD) }).waitFor()
    await channelItem(pageB, 'updates').click()
    await pageB.getByRole('heading', { level: 1, name: 'updates' }).waitFor()
    await eventually(async () => {
      const divider = await boxOf(pageB.getByTestId('unread-divider'))
      const view = await boxOf(list(pageB))
      assert.ok(divider.y >= view.y && divider.y < view.y + view.height / 2, `the divider is near the top of the list (${divider.y} in ${view.y}..${view.y + view.height})`)
    })
    await assertFullyVisible(pageB, 'update 0')
    assert.equal(await messageWithText(pageB, `update ${UNREAD - 1}`).count(), 0, 'the newest message is not in view yet')
    assert.equal(await unreadOf(bob, updates.channelId), UNREAD, 'opening a channel does not mark everything read')
    await saveScreenshot(pageB, 'everyday-unread-divider.png')

    await list(pageB).hover()
    await pageB.mouse.wheel(0, 100_000)
    await eventually(async () => { await assertFullyVisible(pageB, `update ${UNREAD - 1}`) })
    await eventually(async () => { assert.equal(await unreadOf(bob, updates.channelId), 0) })
  })

  it('follows new messages after the window narrows', async () => {
    const long = 'A long message that wraps onto several lines once the window is narrow, so that every row changes height at once when it is resized. '.repeat(3).trim()
    await alice.call('messages.send', { channelId: updates.channelId, text: long })
    await eventually(async () => { assert.ok(await distanceFromBottom(pageB) < 2) })
    await pageB.setViewportSize({ width: 600, height: 800 })
    await alice.call('messages.send', { channelId: updates.channelId, text: 'after the resize' })
    await eventually(async () => { await assertFullyVisible(pageB, 'after the resize') })
    await pageB.setViewportSize({ width: 1280, height: 640 })
    await alice.call('messages.send', { channelId: updates.channelId, text: 'after a second resize' })
    await eventually(async () => { await assertFullyVisible(pageB, 'after a second resize') })
    assert.ok(await distanceFromBottom(pageB) < 2)
  })

  it('keeps the newest message in view while the composer grows line by line', async () => {
    const composer = pageB.getByRole('textbox', { name: 'Message' })
    await composer.click()
    const before = await boxOf(list(pageB))
    for (let i = 0; i < 6; i++) {
      await composer.pressSequentially(`line ${i}`)
      await composer.press('Shift+Enter')
    }
    const after = await boxOf(list(pageB))
    assert.ok(after.height < before.height - 40, `the composer grew (${before.height} → ${after.height})`)
    await eventually(async () => { await assertFullyVisible(pageB, 'after a second resize') })
    await alice.call('messages.send', { channelId: updates.channelId, text: 'while typing' })
    await eventually(async () => { await assertFullyVisible(pageB, 'while typing') })
    await saveScreenshot(pageB, 'everyday-composer-grown.png')
    await composer.fill('')
  })

  it('shows "Jump to latest" without covering the last message', async () => {
    await list(pageB).hover()
    await pageB.mouse.wheel(0, -90)
    const pill = pageB.getByRole('button', { name: 'Jump to latest' })
    await pill.waitFor()
    const pillBox = await boxOf(pill)
    const view = await boxOf(list(pageB))
    for (const bubble of await pageB.getByTestId('message').locator('.message__bubble').all()) {
      const box = await bubble.boundingBox()
      // Only what the list shows counts: rows drawn beyond its edges are clipped away.
      const shown = box === null ? null : clip(box, view)
      assert.ok(shown === null || !overlaps(pillBox, shown), `the pill covers "${await bubble.innerText()}"`)
    }
    await saveScreenshot(pageB, 'everyday-jump-pill.png')
    await alice.call('messages.send', { channelId: updates.channelId, text: 'while scrolled up' })
    await messageWithText(pageB, 'while scrolled up').waitFor({ state: 'attached' }).catch(() => {})
    assert.ok(await distanceFromBottom(pageB) > 50, 'a new message does not pull the reader down')
    await pill.click()
    await eventually(async () => { await assertFullyVisible(pageB, 'while scrolled up') })
    await pill.waitFor({ state: 'detached' })
  })

  it('lays out right-to-left messages, names and the composer by their own direction', async () => {
    await alice.call('messages.send', { channelId: updates.channelId, text: 'שלום לכולם, מה שלומכם?' })
    const text = messageWithText(pageB, 'שלום לכולם, מה שלומכם\\?').locator('.message__text')
    await text.waitFor()
    assert.equal(await text.evaluate(el => (globalThis as unknown as PageGlobals).getComputedStyle(el).direction), 'rtl')
    assert.equal(await messageWithText(pageB, 'while scrolled up').locator('.message__text').evaluate(el => (globalThis as unknown as PageGlobals).getComputedStyle(el).direction), 'ltr')
    const composer = pageB.getByRole('textbox', { name: 'Message' })
    await composer.fill('مرحبا')
    assert.equal(await composer.evaluate(el => (globalThis as unknown as PageGlobals).getComputedStyle(el).direction), 'rtl')
    await composer.fill('')
    await saveScreenshot(pageB, 'everyday-rtl.png')
  })

  it('keeps the keyboard in the Settings dialog after saving a name, and gives it back on Escape', async () => {
    const settingsButton = pageB.getByRole('button', { name: 'Settings' })
    await settingsButton.focus()
    await pageB.keyboard.press('Enter')
    const dialog = pageB.getByRole('dialog', { name: 'Settings' })
    await dialog.waitFor()
    const name = dialog.getByLabel('Display name')
    await name.focus()
    await name.fill('Bobby')
    await pageB.keyboard.press('Enter')
    await dialog.getByText('Saved.').waitFor()
    const inside = async () => await dialog.evaluate(el => {
      const { document } = globalThis as unknown as PageGlobals
      return el.contains(document.activeElement as typeof el) && document.activeElement !== document.body
    })
    assert.ok(await inside(), 'focus stays in the dialog after saving')
    for (let i = 0; i < 40; i++) {
      await pageB.keyboard.press('Tab')
      assert.ok(await inside(), `Tab ${i + 1} left the dialog`)
    }
    await pageB.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    assert.ok(await settingsButton.evaluate(el => el === (globalThis as unknown as PageGlobals).document.activeElement), 'focus returns to the Settings button')
  })

  it('shows the new name at once to a peer already connected', async () => {
    await channelItem(pageA, 'updates').click()
    const members = pageA.getByRole('complementary', { name: 'Members' }).getByTestId('member')
    await eventually(async () => { assert.match(await members.first().innerText(), /^Bobby$/m) })
  })

  it('after leaving and joining again, shows the whole kept history without a reload, and says what leaving deletes', async () => {
    const small = await alice.call('channels.create', { name: 'kept', trackers: [net.trackerUrl] })
    await bob.call('channels.join', { uri: small.uri })
    await channelItem(pageB, 'kept').click()
    await pageB.getByRole('heading', { level: 1, name: 'kept' }).waitFor()
    const composer = pageB.getByRole('textbox', { name: 'Message' })
    const texts = ['first from Bob', 'second from Bob']
    for (const text of texts) {
      await composer.fill(text)
      await composer.press('Enter')
    }
    await alice.call('messages.send', { channelId: small.channelId, text: 'one from Alice' })
    await eventually(async () => { assert.equal((await alice.call('messages.list', { channelId: small.channelId })).length, 3) })

    await pageB.getByRole('button', { name: 'Leave channel' }).click()
    const dialog = pageB.getByRole('dialog', { name: 'Leave #kept?' })
    assert.match(await dialog.innerText(), /deletes the messages of #kept from this device/)
    assert.match(await dialog.innerText(), /Others in the channel keep theirs/)
    await dialog.getByRole('button', { name: 'Leave and delete history' }).click()
    await dialog.waitFor({ state: 'detached' })
    await channelItem(pageB, 'kept').waitFor({ state: 'detached' })

    await pageB.getByRole('navigation', { name: 'Channels' }).getByRole('button', { name: 'Join' }).click()
    const join = pageB.getByRole('dialog', { name: 'Join a channel' })
    await join.getByLabel('Invite link').fill(small.uri)
    await join.getByRole('button', { name: 'Join with link' }).click()
    await pageB.getByRole('heading', { level: 1, name: 'kept' }).waitFor()
    for (const text of [...texts, 'one from Alice']) await messageWithText(pageB, text).waitFor()
    assert.equal(await messageWithText(pageB, 'first from Bob').getAttribute('data-own'), 'true')
  })

  it('tells someone not on an invite-only channel’s list so, and whom to ask, instead of looking for peers forever', async () => {
    const carol = net.daemon('Carol', { args: ['--web'] })
    const pageC = await openUserPage(browser!, (await webUiUrl(carol)).href)
    pageC.setDefaultTimeout(UI_TIMEOUT_MS)
    try {
      const bobKey = (await bob.call('identity.get', {})).publicKey
      const aliceId = await alice.call('identity.get', {})
      const circle = await alice.call('channels.create', { name: 'inner circle', trackers: [net.trackerUrl], inviteOnly: true, members: [bobKey] })
      await pageC.getByRole('navigation', { name: 'Channels' }).getByRole('button', { name: 'Join' }).click()
      const join = pageC.getByRole('dialog', { name: 'Join a channel' })
      await join.getByLabel('Invite link').fill(circle.uri)
      await join.getByRole('button', { name: 'Join with link' }).click()
      await pageC.getByRole('heading', { level: 1, name: 'inner circle' }).waitFor()
      const notice = pageC.getByRole('status', { name: 'You are not a member of this channel' })
      await notice.waitFor()
      assert.ok((await notice.innerText()).includes(aliceId.fingerprint))
      assert.equal(await pageC.getByTestId('peer-status').innerText(), 'Not a member')
      assert.equal(await pageC.getByText('Looking for peers…').count(), 0)
      assert.ok(await pageC.getByRole('textbox', { name: 'Message' }).isDisabled())
      await saveScreenshot(pageC, 'everyday-not-a-member-1280.png')
      await pageC.setViewportSize({ width: 600, height: 800 })
      await saveScreenshot(pageC, 'everyday-not-a-member-600.png')
    } finally {
      await pageC.context().close()
    }
  })

  it('fits every dialog in a 500 px window as in a wide one, light and dark', async () => {
    await channelItem(pageB, 'updates').click()
    await pageB.getByRole('heading', { level: 1, name: 'updates' }).waitFor()
    const nav = pageB.getByRole('navigation', { name: 'Channels' })
    const dialogs: Array<{ name: string; title: string | RegExp; open: () => Promise<void> }> = [
      { name: 'new-channel', title: 'New channel', open: async () => { await nav.getByRole('button', { name: 'New channel' }).click() } },
      { name: 'join', title: 'Join a channel', open: async () => { await nav.getByRole('button', { name: 'Join' }).click() } },
      { name: 'invite', title: 'Invite people to #updates', open: async () => { await pageB.getByRole('button', { name: 'Invite' }).click() } },
      { name: 'leave', title: 'Leave #updates?', open: async () => { await pageB.getByRole('button', { name: 'Leave channel' }).click() } },
      { name: 'settings', title: 'Settings', open: async () => { await pageB.getByRole('button', { name: 'Settings' }).click() } },
      { name: 'network', title: 'Network status', open: async () => { await nav.getByRole('button', { name: 'Network status' }).click() } }
    ]
    for (const colorScheme of ['light', 'dark'] as const) {
      await pageB.emulateMedia({ colorScheme })
      for (const dialog of dialogs) {
        // Opened wide, where every opener shows, then looked at in both sizes.
        await pageB.setViewportSize({ width: 1280, height: 800 })
        await dialog.open()
        const modal = pageB.getByRole('dialog', { name: dialog.title })
        await modal.waitFor()
        for (const width of [1280, 500]) {
          await pageB.setViewportSize({ width, height: 800 })
          await pageB.mouse.move(0, 0)
          await saveScreenshot(pageB, `dialog-${dialog.name}-${width}-${colorScheme}.png`)
          const overflow = await modal.evaluate((el, viewportWidth) => {
            const { getComputedStyle } = globalThis as unknown as PageGlobals
            const frame = el.getBoundingClientRect()
            const problems: string[] = []
            if (frame.left < -0.5 || frame.right > viewportWidth + 0.5) problems.push(`the dialog spans ${frame.left}..${frame.right}`)
            for (const child of el.querySelectorAll('*')) {
              // What a scrolling box clips does not stick out.
              let clipped = false
              for (let up = child.parentElement; up !== null && up !== el; up = up.parentElement) {
                if (getComputedStyle(up).overflowX !== 'visible') clipped = true
              }
              const box = child.getBoundingClientRect()
              if (clipped || box.width === 0) continue
              if (box.left < frame.left - 0.5 || box.right > frame.right + 0.5) {
                problems.push(`${child.tagName.toLowerCase()}.${String(child.className).split(' ')[0]} spans ${Math.round(box.left)}..${Math.round(box.right)}`)
              }
            }
            return problems.slice(0, 5)
          }, width)
          assert.deepEqual(overflow, [], `${dialog.name} at ${width} px, ${colorScheme}`)
        }
        await pageB.keyboard.press('Escape')
        await modal.waitFor({ state: 'detached' })
      }
    }
    await pageB.emulateMedia({ colorScheme: null })
    await pageB.setViewportSize({ width: 1280, height: 800 })
  })
})
