// Search through the web UI against real daemons: a message far back in a long conversation is found
// from the search dialog and opened where it is, highlighted; Ctrl+K switches channels; Ctrl+F finds
// within one. Driven with the keyboard only, as the screenshots it leaves are.
import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Locator, Page } from 'playwright-core'
import { eventually, saveScreenshot } from '../helpers/browser.ts'
import { webUsers } from '../helpers/web-users.ts'

const UI_TIMEOUT_MS = 15_000
// Enough that the first ones are far past the page a conversation opens with (200).
const HISTORY = 300
const NEEDLE = 'The secret of the soup is saffron, not paprika'

const messageWith = (page: Page, text: string) =>
  page.getByTestId('message').filter({ has: page.locator('.message__text', { hasText: text }) })
const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name })
/** Keys typed right after a shortcut must wait for the field it opens to hold the focus, as a person's eyes do. */
async function focused (field: Locator): Promise<void> {
  await eventually(async () => {
    assert.ok(await field.evaluate(el => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement))
  }, UI_TIMEOUT_MS)
}
const switcherField = (page: Page) => page.getByRole('combobox', { name: 'Conversation or person' })
const searchField = (page: Page) => page.getByRole('combobox', { name: 'Search messages' })
const findField = (page: Page) => page.getByRole('searchbox', { name: 'Find in conversation' })

/** What a search shows once it has answered `query` (typing sends one search per pause, each for the words so far). */
const answered = async (page: Page, testId: string, query: string) => {
  const status = page.getByTestId(testId)
  await eventually(async () => {
    assert.equal(await status.getAttribute('data-query'), query)
    assert.equal(await status.getAttribute('aria-busy'), 'false')
  }, UI_TIMEOUT_MS)
  return await status.textContent()
}
/** A dialog still fading in would show half transparent: waits out every animation that ends. */
async function settled (page: Page): Promise<void> {
  await page.evaluate(async () => {
    // Runs in the page; this project's Node typings have no DOM.
    type Animation = { finished: Promise<unknown>; effect: { getComputedTiming (): { endTime?: number } } | null }
    const { document } = globalThis as unknown as { document: { getAnimations (): Animation[] } }
    const ending = document.getAnimations().filter(a => Number.isFinite(a.effect?.getComputedTiming().endTime ?? Infinity))
    await Promise.all(ending.map(async a => await a.finished))
  })
}

describe('search through the web UI', () => {
  let pageA: Page

  const web = webUsers(['Alice', 'Bob'], {
    stem: 'search',
    timeoutMs: UI_TIMEOUT_MS,
    meet: async ({ net, users: [a, b] }) => {
      const lunch = await a!.daemon.call('channels.create', { name: 'lunch', trackers: [net.trackerUrl] })
      const garden = await a!.daemon.call('channels.create', { name: 'garden', trackers: [net.trackerUrl] })
      await b!.daemon.call('channels.join', { uri: lunch.uri })
      await b!.daemon.call('channels.join', { uri: garden.uri })
      await b!.daemon.waitFor('peer.connected', p => p.channelId === lunch.channelId, UI_TIMEOUT_MS)
      await b!.daemon.call('messages.send', { channelId: lunch.channelId, text: NEEDLE })
      await b!.daemon.call('messages.send', { channelId: lunch.channelId, text: 'Saffron is expensive, though' })
      for (let i = 0; i < HISTORY; i++) {
        await (i % 2 === 0 ? a : b)!.daemon.call('messages.send', { channelId: lunch.channelId, text: `lunch chatter ${i}` })
      }
      await b!.daemon.call('messages.send', { channelId: garden.channelId, text: 'The tomatoes are ripe' })
      await eventually(async () => {
        const held = await a!.daemon.call('messages.list', { channelId: lunch.channelId, limit: 1000 })
        assert.equal(held.length, HISTORY + 2)
      }, 60_000)
    }
  })

  before(async () => {
    pageA = web.users[0]!.page
    await pageA.getByRole('navigation', { name: 'Channels' }).getByTestId('channel-item').first().waitFor()
  })

  it('finds a message far back in another conversation, opens it there and highlights it', async () => {
    await pageA.keyboard.press('Control+k')
    await focused(switcherField(pageA))
    await pageA.keyboard.type('garden')
    await pageA.keyboard.press('Enter')
    await heading(pageA, 'garden').waitFor()

    await pageA.keyboard.press('Control+Shift+F')
    const dialog = pageA.getByRole('dialog', { name: 'Search messages' })
    await focused(searchField(pageA))
    await pageA.keyboard.type('saffron')
    assert.equal(await answered(pageA, 'search-status', 'saffron'), '2 messages in 1 conversation')
    const results = dialog.getByTestId('search-result')
    assert.deepEqual(await results.locator('mark').allTextContents(), ['Saffron', 'saffron'])
    await pageA.keyboard.press('ArrowDown')
    await pageA.keyboard.press('Enter')
    await dialog.waitFor({ state: 'detached' })

    await heading(pageA, 'lunch').waitFor()
    const found = messageWith(pageA, NEEDLE)
    await found.waitFor()
    assert.match(await found.locator('xpath=ancestor::div[contains(@class, "message-list__row")]').getAttribute('class') ?? '', /message-list__row--flash/)
    assert.equal(await messageWith(pageA, `lunch chatter ${HISTORY - 1}`).count(), 0, 'the newest messages are not loaded around the old one')
    await pageA.getByRole('button', { name: 'Jump to latest' }).click()
    await messageWith(pageA, `lunch chatter ${HISTORY - 1}`).waitFor()
  })

  it('Ctrl+K switches channels from the keyboard', async () => {
    await pageA.keyboard.press('Control+k')
    await focused(switcherField(pageA))
    await pageA.keyboard.type('gdn')
    await pageA.keyboard.press('Enter')
    await heading(pageA, 'garden').waitFor()
    await messageWith(pageA, 'The tomatoes are ripe').waitFor()
    await pageA.keyboard.press('Control+k')
    await focused(switcherField(pageA))
    await pageA.keyboard.type('lu')
    await pageA.keyboard.press('Enter')
    await heading(pageA, 'lunch').waitFor()
  })

  it('Ctrl+F finds in the conversation, counting and moving through the matches', async () => {
    await pageA.keyboard.press('Control+f')
    const field = findField(pageA)
    await focused(field)
    await pageA.keyboard.type('saffron')
    const count = pageA.getByTestId('find-count')
    assert.equal(await answered(pageA, 'find-count', 'saffron'), '1 of 2')
    await eventually(async () => { assert.equal(await pageA.locator('.message-list__row--current .message__text').textContent(), 'Saffron is expensive, though') }, UI_TIMEOUT_MS)
    await pageA.keyboard.press('Enter')
    await eventually(async () => { assert.equal(await count.textContent(), '2 of 2') }, UI_TIMEOUT_MS)
    await eventually(async () => { assert.equal(await pageA.locator('.message-list__row--current .message__text').textContent(), NEEDLE) }, UI_TIMEOUT_MS)
    await pageA.keyboard.press('Escape')
    await field.waitFor({ state: 'detached' })
  })

  it('leaves screenshots of the switcher, search results and find, at 1280 and 600 px, light and dark', async () => {
    await pageA.mouse.move(0, 0)
    for (const scheme of ['light', 'dark'] as const) {
      for (const width of [1280, 600]) {
        await pageA.emulateMedia({ colorScheme: scheme })
        await pageA.setViewportSize({ width, height: 800 })
        const shot = `${width}-${scheme}.png`

        await pageA.keyboard.press('Control+k')
        await focused(switcherField(pageA))
        await settled(pageA)
        await saveScreenshot(pageA, `search-switcher-${shot}`)
        await pageA.keyboard.press('Escape')

        await pageA.keyboard.press('Control+Shift+F')
        const dialog = pageA.getByRole('dialog', { name: 'Search messages' })
        await focused(searchField(pageA))
        await pageA.keyboard.type('saffron')
        await answered(pageA, 'search-status', 'saffron')
        await pageA.keyboard.press('ArrowDown')
        await settled(pageA)
        await saveScreenshot(pageA, `search-results-${shot}`)
        await pageA.keyboard.press('Escape')
        await dialog.waitFor({ state: 'detached' })

        await pageA.keyboard.press('Control+f')
        await focused(findField(pageA))
        await pageA.keyboard.type('saffron')
        assert.equal(await answered(pageA, 'find-count', 'saffron'), '1 of 2')
        await pageA.keyboard.press('Enter')
        await eventually(async () => { assert.equal(await pageA.locator('.message-list__row--current .message__text').textContent(), NEEDLE) }, UI_TIMEOUT_MS)
        await settled(pageA)
        await saveScreenshot(pageA, `search-find-${shot}`)
        await pageA.keyboard.press('Escape')
        await pageA.getByTestId('find-bar').waitFor({ state: 'detached' })
      }
    }
    await pageA.emulateMedia({ colorScheme: 'light' })
    await pageA.setViewportSize({ width: 1280, height: 800 })
  })
})
