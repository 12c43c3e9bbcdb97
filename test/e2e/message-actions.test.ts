// Replies, edits, reactions, deletions and typing between two people, through the web UI against
// real daemons: what one does to a message shows in the other's window, quotes included.
import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import type { IdentityInfo } from '../../core/api/contract.ts'
import { eventually, saveScreenshot } from '../helpers/browser.ts'
import { webUsers } from '../helpers/web-users.ts'

const UI_TIMEOUT_MS = 15_000

/** The message whose own words (not a quote of it) are `text`. */
const messageWith = (page: Page, text: string) =>
  page.getByTestId('message').filter({ has: page.locator('.message__text', { hasText: text }) })
const composer = (page: Page) => page.getByRole('textbox', { name: 'Message' })

describe('message actions through the web UI', () => {
  let bobId: IdentityInfo
  let pageA: Page, pageB: Page

  const web = webUsers(['Alice', 'Bob'], {
    stem: 'actions',
    timeoutMs: UI_TIMEOUT_MS,
    meet: async ({ net, users: [a, b] }) => {
      const created = await a!.daemon.call('channels.create', { name: 'lunch', trackers: [net.trackerUrl] })
      await b!.daemon.call('channels.join', { uri: created.uri })
      await b!.daemon.waitFor('peer.connected', p => p.channelId === created.channelId, UI_TIMEOUT_MS)
    }
  })

  before(async () => {
    const [a, b] = web.users
    ;[bobId, pageA, pageB] = [b!.id, a!.page, b!.page]
    for (const page of [pageA, pageB]) await page.getByRole('heading', { level: 1, name: 'lunch' }).waitFor()
  })

  it('shows Alice that Bob is typing while he types, and no longer once he clears it', async () => {
    await composer(pageA).fill('Shall we meet at noon?')
    await composer(pageA).press('Enter')
    await messageWith(pageB, 'Shall we meet at noon?').waitFor()
    await composer(pageB).pressSequentially('Sounds')
    const indicator = pageA.getByTestId('typing-indicator')
    await eventually(async () => { assert.equal(await indicator.textContent(), `${bobId.name} is typing…`) }, UI_TIMEOUT_MS)
    await composer(pageB).fill('')
    await eventually(async () => { assert.equal(await indicator.textContent(), '') }, UI_TIMEOUT_MS)
  })

  it('Bob replies to Alice’s message with the keyboard, and Alice sees the quote', async () => {
    const original = messageWith(pageB, 'Shall we meet at noon?')
    await original.getByRole('button', { name: 'Reply' }).focus()
    await pageB.keyboard.press('Enter')
    await pageB.getByTestId('compose-mode').getByText('Replying to').waitFor()
    await composer(pageB).pressSequentially('Noon works for me')
    await composer(pageB).press('Enter')
    const reply = messageWith(pageA, 'Noon works for me')
    await eventually(async () => { assert.equal(await reply.getByTestId('quote').locator('.quote__text').textContent(), 'Shall we meet at noon?') }, UI_TIMEOUT_MS)
  })

  it('Alice edits hers with Up on an empty composer, and Bob sees the new words, edited, in the message and in his quote', async () => {
    await composer(pageA).focus()
    await pageA.keyboard.press('ArrowUp')
    assert.equal(await composer(pageA).inputValue(), 'Shall we meet at noon?')
    await composer(pageA).fill('Shall we meet at one?')
    await composer(pageA).press('Enter')
    const edited = messageWith(pageB, 'Shall we meet at one?')
    await edited.getByTestId('edited').waitFor()
    assert.equal(await edited.getByTestId('edited').textContent(), '(edited)')
    const quote = messageWith(pageB, 'Noon works for me').getByTestId('quote').locator('.quote__text')
    await eventually(async () => { assert.equal(await quote.textContent(), 'Shall we meet at one?') }, UI_TIMEOUT_MS)
  })

  it('Bob reacts 👍 from the picker, and Alice sees the chip', async () => {
    await messageWith(pageB, 'Shall we meet at one?').getByRole('button', { name: 'React' }).focus()
    await pageB.keyboard.press('Enter')
    const picker = pageB.getByRole('dialog', { name: 'React with' })
    await picker.getByRole('button', { name: 'React 👍' }).focus()
    await pageB.keyboard.press('Enter')
    await picker.waitFor({ state: 'detached' })
    const chip = messageWith(pageA, 'Shall we meet at one?').getByTestId('reaction')
    await eventually(async () => { assert.equal(await chip.textContent(), '👍1') }, UI_TIMEOUT_MS)
    assert.equal(await chip.getAttribute('aria-pressed'), 'false')
    assert.match(await chip.getAttribute('title') ?? '', new RegExp(`by ${bobId.name}`))
  })

  it('leaves screenshots at 1280 and 600 px, light and dark: Bob typing, the menu, the picker, a reply and an edit being written', async () => {
    for (const p of [pageA, pageB]) await p.mouse.move(0, 0)
    await composer(pageB).pressSequentially('See you')
    for (const scheme of ['light', 'dark'] as const) {
      for (const width of [1280, 600]) {
        for (const p of [pageA, pageB]) {
          await p.emulateMedia({ colorScheme: scheme })
          await p.setViewportSize({ width, height: 800 })
        }
        const shot = `${width}-${scheme}.png`
        await eventually(async () => { assert.equal(await pageA.getByTestId('typing-indicator').textContent(), `${bobId.name} is typing…`) }, UI_TIMEOUT_MS)
        await saveScreenshot(pageA, `actions-alice-${shot}`)
        const theirs = messageWith(pageB, 'Shall we meet at one?')
        await theirs.getByRole('button', { name: 'More actions' }).focus()
        await pageB.keyboard.press('Enter')
        await pageB.getByRole('menu', { name: 'Message actions' }).waitFor()
        await saveScreenshot(pageB, `actions-menu-bob-${shot}`)
        await pageB.keyboard.press('ArrowDown')
        await pageB.keyboard.press('Enter')
        await pageB.getByRole('dialog', { name: 'React with' }).waitFor()
        await saveScreenshot(pageB, `actions-picker-bob-${shot}`)
        await pageB.keyboard.press('Escape')
        await theirs.getByRole('button', { name: 'Reply' }).focus()
        await pageB.keyboard.press('Enter')
        await pageB.getByTestId('compose-mode').waitFor()
        await saveScreenshot(pageB, `actions-reply-bob-${shot}`)
        await pageB.keyboard.press('Escape')
        await pageB.getByTestId('compose-mode').waitFor({ state: 'detached' })
        await composer(pageA).focus()
        await pageA.keyboard.press('ArrowUp')
        await pageA.getByTestId('compose-mode').waitFor()
        await saveScreenshot(pageA, `actions-edit-alice-${shot}`)
        await pageA.keyboard.press('Escape')
        await pageA.getByTestId('compose-mode').waitFor({ state: 'detached' })
      }
    }
    await composer(pageB).fill('')
    for (const p of [pageA, pageB]) {
      await p.emulateMedia({ colorScheme: 'light' })
      await p.setViewportSize({ width: 1280, height: 800 })
    }
  })

  it('Alice deletes hers for everyone after confirming, and Bob sees it deleted, in the message and in his quote', async () => {
    await messageWith(pageA, 'Shall we meet at one?').getByRole('button', { name: 'More actions' }).focus()
    await pageA.keyboard.press('Enter')
    await pageA.getByRole('menuitem', { name: 'Delete for everyone…' }).waitFor()
    await pageA.keyboard.press('End')
    await pageA.keyboard.press('Enter')
    const dialog = pageA.getByRole('dialog', { name: 'Delete for everyone?' })
    await dialog.getByRole('button', { name: 'Delete for everyone' }).click()
    await dialog.waitFor({ state: 'detached' })
    await messageWith(pageB, 'This message was deleted').waitFor()
    assert.equal(await pageB.getByText('Shall we meet at one?').count(), 0)
    await eventually(async () => {
      assert.equal(await messageWith(pageB, 'Noon works for me').getByTestId('quote').textContent(), 'Original message deleted')
    }, UI_TIMEOUT_MS)
    for (const scheme of ['light', 'dark'] as const) {
      await pageB.emulateMedia({ colorScheme: scheme })
      await saveScreenshot(pageB, `actions-deleted-bob-1280-${scheme}.png`)
    }
  })
})
