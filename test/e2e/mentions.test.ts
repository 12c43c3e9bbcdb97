// Mentions, mute and the last conversation through the web UI against real daemons: Bob names
// Alice with the @ picker, driven from the keyboard; Alice sees an unread mention on the channel in
// her sidebar and the message highlighted, the chip showing her name; her mute survives a reload,
// and a reload opens the conversation she had open.
import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { eventually, screensAtEverySize } from '../helpers/browser.ts'
import { webUsers } from '../helpers/web-users.ts'

const UI_TIMEOUT_MS = 15_000

const composer = (page: Page) => page.getByRole('textbox', { name: 'Message' })
const sidebarItem = (page: Page, name: string) => page.getByRole('navigation', { name: 'Channels' }).getByTestId('channel-item').filter({ hasText: new RegExp(`^${name}`) })
const heading = (page: Page) => page.getByRole('heading', { level: 1 })
async function openWithKeyboard (page: Page, name: string): Promise<void> {
  await sidebarItem(page, name).focus()
  await page.keyboard.press('Enter')
  await eventually(async () => { assert.equal(await heading(page).textContent(), name) }, UI_TIMEOUT_MS)
}

describe('mentions, mute and the last conversation through the web UI', () => {
  let pageA: Page, pageB: Page
  let aliceKey: string

  const web = webUsers(['Alice', 'Bob'], {
    stem: 'mentions',
    timeoutMs: UI_TIMEOUT_MS,
    meet: async ({ net, users: [a, b] }) => {
      for (const name of ['plans', 'other']) {
        const created = await a!.daemon.call('channels.create', { name, trackers: [net.trackerUrl] })
        await b!.daemon.call('channels.join', { uri: created.uri })
        await b!.daemon.waitFor('peer.connected', p => p.channelId === created.channelId, UI_TIMEOUT_MS)
      }
      // Bob's earlier message makes Alice a known author there, as people are who have spoken.
      const plans = (await b!.daemon.call('channels.list', {})).find(c => c.name === 'plans')!
      await a!.daemon.call('messages.send', { channelId: plans.channelId, text: 'Who is coming on Saturday?' })
    }
  })

  before(async () => {
    const [a, b] = web.users
    ;[pageA, pageB, aliceKey] = [a!.page, b!.page, a!.id.publicKey]
    await pageA.getByRole('navigation', { name: 'Channels' }).waitFor()
    await openWithKeyboard(pageA, 'other')
    await openWithKeyboard(pageB, 'plans')
    await pageB.getByTestId('message').filter({ hasText: 'Who is coming on Saturday?' }).waitFor()
  })

  it('Bob names Alice with the @ picker from the keyboard; the message carries her key', async () => {
    await composer(pageB).focus()
    await pageB.keyboard.type('Count me in, @Al')
    const picker = pageB.getByRole('listbox', { name: 'People to mention' })
    await eventually(async () => { assert.deepEqual(await picker.getByRole('option').allInnerTexts(), ['A\nAlice']) }, UI_TIMEOUT_MS)
    await screensAtEverySize(pageB, 'mention-picker')
    await pageB.keyboard.press('Enter')
    assert.equal(await composer(pageB).inputValue(), 'Count me in, @Alice ')
    await pageB.keyboard.type('bring the map')
    await pageB.keyboard.press('Enter')
    const sent = pageB.getByTestId('message').filter({ hasText: 'bring the map' })
    await eventually(async () => { assert.equal(await sent.getByTestId('mention').textContent(), '@Alice') }, UI_TIMEOUT_MS)
    const stored = await web.users[1]!.daemon.call('messages.list', { channelId: (await web.users[1]!.daemon.call('channels.list', {})).find(c => c.name === 'plans')!.channelId })
    assert.deepEqual(stored.at(-1)?.mentions, [aliceKey])
  })

  it('Alice sees an unread mention on the channel, then the message highlighted with her name', async () => {
    const item = sidebarItem(pageA, 'plans')
    await eventually(async () => { assert.equal(await item.getByTestId('mention-badge').textContent(), '@ one mention of you') }, UI_TIMEOUT_MS)
    await screensAtEverySize(pageA, 'mention-badge')
    await openWithKeyboard(pageA, 'plans')
    const mentioning = pageA.getByTestId('message').filter({ hasText: 'bring the map' })
    await eventually(async () => { assert.match(await mentioning.getAttribute('class') ?? '', /message--mentions-me/) }, UI_TIMEOUT_MS)
    assert.equal(await mentioning.locator('.mention--me').textContent(), '@Alice')
    await eventually(async () => { assert.equal(await item.getByTestId('mention-badge').count(), 0) }, UI_TIMEOUT_MS)
    await screensAtEverySize(pageA, 'mention-highlight')
  })

  it('Alice mutes the channel from its header with the keyboard, and it stays muted after a reload', async () => {
    await pageA.getByRole('button', { name: 'Mute conversation' }).focus()
    await pageA.keyboard.press('Enter')
    await pageA.getByRole('button', { name: 'Unmute conversation' }).waitFor()
    await sidebarItem(pageA, 'plans').getByTestId('muted-glyph').waitFor()
    await screensAtEverySize(pageA, 'muted-header')
    await openWithKeyboard(pageA, 'other')
    await pageB.keyboard.type('Still there?')
    await pageB.keyboard.press('Enter')
    await eventually(async () => { assert.match(await sidebarItem(pageA, 'plans').getByTestId('unread-badge').getAttribute('class') ?? '', /badge--muted/) }, UI_TIMEOUT_MS)
    await screensAtEverySize(pageA, 'muted')
    await pageA.reload()
    await eventually(async () => { assert.equal(await heading(pageA).textContent(), 'other') }, UI_TIMEOUT_MS)
    await sidebarItem(pageA, 'plans').getByTestId('muted-glyph').waitFor()
    await openWithKeyboard(pageA, 'plans')
    assert.equal(await pageA.getByRole('button', { name: 'Unmute conversation' }).getAttribute('aria-pressed'), 'true')
    // The sidebar item's menu, from the context-menu key, unmutes it too.
    await sidebarItem(pageA, 'plans').focus()
    await pageA.keyboard.press('Shift+F10')
    await pageA.getByRole('menu', { name: 'Conversation actions' }).waitFor()
    await screensAtEverySize(pageA, 'conversation-menu')
    await pageA.keyboard.press('Enter')
    await pageA.getByRole('button', { name: 'Mute conversation' }).waitFor()
    // The sidebar follows the channel's update, which may come a moment after the header's answer.
    await eventually(async () => { assert.equal(await sidebarItem(pageA, 'plans').getByTestId('muted-glyph').count(), 0) }, UI_TIMEOUT_MS)
  })

  it('a reload opens the conversation open before it, though another is first in the sidebar', async () => {
    await openWithKeyboard(pageA, 'other')
    const first = await pageA.getByRole('navigation', { name: 'Channels' }).getByTestId('channel-item').first().locator('.channel-item__name').textContent()
    assert.equal(first, 'plans', 'the busier channel is listed first')
    await pageA.reload()
    await eventually(async () => { assert.equal(await heading(pageA).textContent(), 'other') }, UI_TIMEOUT_MS)
    await pageA.getByRole('navigation', { name: 'Channels' }).waitFor()
  })

  it('Alice turns on "Show notifications" in Settings with the keyboard once the browser allows them', async () => {
    await pageA.context().grantPermissions(['notifications'])
    await pageA.getByRole('button', { name: 'Settings' }).focus()
    await pageA.keyboard.press('Enter')
    const toggle = pageA.getByRole('switch', { name: 'Show notifications' })
    assert.equal(await toggle.isChecked(), false, 'off until chosen')
    await toggle.focus()
    await pageA.keyboard.press('Space')
    await eventually(async () => { assert.equal(await toggle.isChecked(), true) }, UI_TIMEOUT_MS)
    await toggle.scrollIntoViewIfNeeded()
    await screensAtEverySize(pageA, 'notification-settings')
    await pageA.keyboard.press('Escape')
    await pageA.reload()
    await pageA.getByRole('button', { name: 'Settings' }).focus()
    await pageA.keyboard.press('Enter')
    assert.equal(await pageA.getByRole('switch', { name: 'Show notifications' }).isChecked(), true, 'kept across a reload')
    await pageA.keyboard.press('Escape')
  })
})
