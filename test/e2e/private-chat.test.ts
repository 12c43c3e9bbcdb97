// A private conversation through the web UI, against real daemons: Alice, Bob and Carol share a
// channel; Alice messages Bob from her members panel; Bob finds it under Direct messages with an
// unread badge and replies; Carol, in the same channel, never sees any of it.
import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import type { IdentityInfo } from '../../core/api/contract.ts'
import { eventually } from '../helpers/browser.ts'
import type { DaemonProcess } from '../helpers/testnet.ts'
import { webUsers } from '../helpers/web-users.ts'

const UI_TIMEOUT_MS = 15_000
const TO_BOB = 'Bob, just between us: the book ends badly.'
const TO_ALICE = 'Thanks Alice, I will not tell Carol.'

const dmList = (page: Page) => page.getByRole('navigation', { name: 'Channels' }).locator('#dm-list')
const dmItems = (page: Page) => dmList(page).getByTestId('dm-item')
const onlineMembers = (page: Page) => page.getByRole('complementary', { name: 'Members' }).getByRole('region', { name: /^Online — / }).getByTestId('member')
const messageTexts = async (page: Page): Promise<string[]> => await page.getByTestId('message').locator('.message__text').allInnerTexts()

describe('a private conversation through the web UI', () => {
  let alice: DaemonProcess, carol: DaemonProcess
  let aliceId: IdentityInfo, bobId: IdentityInfo
  let pageA: Page, pageB: Page, pageC: Page
  let channelId: string

  const web = webUsers(['Alice', 'Bob', 'Carol'], {
    stem: 'private',
    timeoutMs: UI_TIMEOUT_MS,
    meet: async ({ net, users: [a, b, c] }) => {
      // Meeting in a channel is the two-users test's subject; here it is only where the three know each other from.
      const created = await a!.daemon.call('channels.create', { name: 'book-club', trackers: [net.trackerUrl] })
      channelId = created.channelId
      await Promise.all([b!.daemon.call('channels.join', { uri: created.uri }), c!.daemon.call('channels.join', { uri: created.uri })])
      await eventually(async () => { assert.equal((await a!.daemon.call('peers.list', { channelId })).length, 2) }, UI_TIMEOUT_MS)
    }
  })

  before(() => {
    const [a, b, c] = web.users
    ;[alice, carol, aliceId, bobId, pageA, pageB, pageC] = [a!.daemon, c!.daemon, a!.id, b!.id, a!.page, b!.page, c!.page]
  })

  it('Alice opens a private conversation with Bob from her members panel and writes to him', async () => {
    await pageA.getByRole('heading', { level: 1, name: 'book-club' }).waitFor()
    await onlineMembers(pageA).filter({ hasText: bobId.name }).waitFor()
    await pageA.getByRole('button', { name: `Message ${bobId.name}` }).click()
    await pageA.getByRole('heading', { level: 1, name: bobId.name }).waitFor()
    await eventually(async () => { assert.deepEqual(await dmItems(pageA).locator('.channel-item__name').allInnerTexts(), [bobId.name]) })
    assert.equal(await dmItems(pageA).getAttribute('aria-current'), 'page')
    const composer = pageA.getByRole('textbox', { name: 'Message' })
    assert.equal(await composer.getAttribute('placeholder'), `Message ${bobId.name}`)
    await composer.fill(TO_BOB)
    await composer.press('Enter')
    await eventually(async () => { assert.deepEqual(await messageTexts(pageA), [TO_BOB]) })
    const channels = await alice.call('channels.list', {})
    assert.deepEqual(channels.filter(c => c.kind === 'private').map(c => c.peer?.publicKey), [bobId.publicKey])
  })

  it('Bob finds it under Direct messages, named Alice, with an unread badge', async () => {
    await pageB.getByRole('heading', { level: 1, name: 'book-club' }).waitFor()
    const item = dmItems(pageB).filter({ hasText: aliceId.name })
    await item.getByTestId('unread-badge').filter({ hasText: '1 unread' }).waitFor()
    assert.doesNotMatch(await pageB.getByRole('navigation', { name: 'Channels' }).innerText(), /Private chat/)
    await item.click()
    await pageB.getByRole('heading', { level: 1, name: aliceId.name }).waitFor()
    await eventually(async () => { assert.deepEqual(await messageTexts(pageB), [TO_BOB]) })
    await item.getByTestId('unread-badge').waitFor({ state: 'detached' })
  })

  it('Bob replies and Alice reads it', async () => {
    const composer = pageB.getByRole('textbox', { name: `Message` })
    await composer.fill(TO_ALICE)
    await composer.press('Enter')
    await eventually(async () => { assert.deepEqual(await messageTexts(pageA), [TO_BOB, TO_ALICE]) })
  })

  it('Carol, in the same channel, sees none of it', async () => {
    await pageC.getByRole('heading', { level: 1, name: 'book-club' }).waitFor()
    await pageC.getByText('No private conversations yet', { exact: false }).waitFor()
    assert.equal(await dmItems(pageC).count(), 0)
    const shown = await pageC.locator('body').innerText()
    assert.ok(!shown.includes(TO_BOB) && !shown.includes(TO_ALICE), 'Carol\'s window shows none of the private messages')
    const channels = await carol.call('channels.list', {})
    assert.deepEqual(channels.map(c => c.channelId), [channelId])
  })
})
