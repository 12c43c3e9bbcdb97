// Two people, each with their own daemon and browser tab, meet in a channel through a loopback
// tracker and chat, driving nothing but the web UI: the whole stack, end to end.
import { after, afterEach, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import type { IdentityInfo } from '../../core/api/contract.ts'
import { assertBrowserTestPrerequisites, dropFile, eventually, launchChromium, openUserPage, saveScreenshot, webUiUrl } from '../helpers/browser.ts'
import { createTestnet, type DaemonProcess, type Testnet } from '../helpers/testnet.ts'

const CHANNEL = 'book-club'
const README_SCREENSHOT = path.resolve(import.meta.dirname, '../../docs/screenshot.png')
const UI_TIMEOUT_MS = 15_000

const messages = (page: Page) => page.getByTestId('message')
const members = (page: Page) => page.getByRole('complementary', { name: 'Members' }).getByTestId('member')
const channelNames = async (page: Page): Promise<string[]> =>
  await page.getByRole('navigation', { name: 'Channels' }).getByTestId('channel-item').locator('.channel-item__name').allInnerTexts()

async function messageTexts (page: Page): Promise<{ text: string; own: string | null }[]> {
  return await messages(page).evaluateAll(nodes => nodes.map(n => ({
    text: n.querySelector('.message__text')?.textContent ?? '',
    own: n.getAttribute('data-own')
  })))
}

describe('two people chatting through the web UI', () => {
  let net: Testnet
  let browser: Browser | undefined
  let alice: DaemonProcess, bob: DaemonProcess
  let aliceId: IdentityInfo, bobId: IdentityInfo
  let pageA: Page, pageB: Page
  let chatFile: { name: string; bytes: Uint8Array }

  before(async () => {
    assertBrowserTestPrerequisites()
    net = await createTestnet()
    alice = net.daemon('Alice', { args: ['--web'] })
    bob = net.daemon('Bob', { args: ['--web'] })
    const [urlA, urlB] = await Promise.all([webUiUrl(alice), webUiUrl(bob)])
    ;[aliceId, bobId] = await Promise.all([alice.call('identity.get', {}), bob.call('identity.get', {})])
    browser = await launchChromium()
    ;[pageA, pageB] = await Promise.all([openUserPage(browser, urlA.href), openUserPage(browser, urlB.href)])
    for (const page of [pageA, pageB]) page.setDefaultTimeout(UI_TIMEOUT_MS)
  })

  // What the windows showed when a step failed is most of what CI can tell about why.
  afterEach(async (t) => {
    if (!('passed' in t) || t.passed) return
    const stem = `failed-${t.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`
    // allSettled: a page that never opened has nothing to show.
    await Promise.allSettled([saveScreenshot(pageA, `${stem}-alice.png`), saveScreenshot(pageB, `${stem}-bob.png`)])
  })

  after(async () => {
    await browser?.close()
    await net?.close()
  })

  it('opens each workspace with its own identity', async () => {
    for (const [page, id] of [[pageA, aliceId], [pageB, bobId]] as const) {
      const nav = page.getByRole('navigation', { name: 'Channels' })
      await nav.getByText(id.fingerprint).waitFor()
      await nav.getByText(id.name, { exact: true }).waitFor()
    }
  })

  it('creates a channel on the loopback tracker through the New channel dialog', async () => {
    await pageA.getByRole('navigation', { name: 'Channels' }).getByRole('button', { name: 'New channel' }).click()
    const dialog = pageA.getByRole('dialog', { name: 'New channel' })
    await dialog.getByLabel('Channel name').fill(CHANNEL)
    await dialog.getByLabel('Trackers').fill(net.trackerUrl)
    await dialog.getByRole('button', { name: 'Create channel' }).click()
    await pageA.getByRole('dialog', { name: `Invite people to #${CHANNEL}` }).waitFor()
    await eventually(async () => { assert.deepEqual(await channelNames(pageA), [CHANNEL]) })
    const [channel] = await alice.call('channels.list', {})
    assert.deepEqual(channel?.trackers, [net.trackerUrl])
  })

  it('saves the .chat file from the invite dialog', async () => {
    const dialog = pageA.getByRole('dialog', { name: `Invite people to #${CHANNEL}` })
    const [download] = await Promise.all([
      pageA.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Save .chat file' }).click()
    ])
    const saved = await download.path()
    chatFile = { name: download.suggestedFilename(), bytes: new Uint8Array(fs.readFileSync(saved)) }
    assert.match(chatFile.name, /\.chat$/)
    const [channel] = await alice.call('channels.list', {})
    const share = await alice.call('channels.share', { channelId: channel?.channelId ?? '' })
    assert.equal(Buffer.from(chatFile.bytes).toString('base64'), share.data)
    await dialog.getByRole('button', { name: 'Close' }).click()
    await dialog.waitFor({ state: 'detached' })
  })

  it('joins when the .chat file is dropped on the other window', async () => {
    await dropFile(pageB, chatFile, async () => {
      await pageB.getByTestId('drop-overlay').waitFor()
    })
    await pageB.getByTestId('drop-overlay').waitFor({ state: 'detached' })
    await eventually(async () => { assert.deepEqual(await channelNames(pageB), [CHANNEL]) })
    await pageB.getByRole('heading', { level: 1, name: CHANNEL }).waitFor()
  })

  it('lists the other person, with their fingerprint, in each members panel', async () => {
    for (const [page, other] of [[pageA, bobId], [pageB, aliceId]] as const) {
      await eventually(async () => {
        const listed = await members(page).allInnerTexts()
        assert.equal(listed.length, 1, `members of ${other.name === 'Bob' ? 'Alice' : 'Bob'}: ${JSON.stringify(listed)}`)
        assert.match(listed[0] ?? '', new RegExp(`^${other.name}$`, 'm'))
        assert.ok(listed[0]?.includes(other.fingerprint), `fingerprint ${other.fingerprint} missing from ${listed[0]}`)
      }, UI_TIMEOUT_MS)
      await page.getByTestId('peer-status').getByText('1 peer connected').waitFor()
    }
  })

  it('delivers a message sent with Enter, marked as own only for its author', async () => {
    const text = 'Has everyone finished chapter three?'
    const composer = pageA.getByRole('textbox', { name: 'Message' })
    await composer.fill(text)
    await composer.press('Enter')
    await eventually(async () => { assert.deepEqual(await messageTexts(pageA), [{ text, own: 'true' }]) })
    assert.equal(await composer.inputValue(), '')
    await eventually(async () => { assert.deepEqual(await messageTexts(pageB), [{ text, own: 'false' }]) })
    await messages(pageB).first().getByText(aliceId.name, { exact: true }).waitFor()
  })

  it('delivers a reply sent with the Send button', async () => {
    const first = 'Has everyone finished chapter three?'
    const reply = 'Almost, no spoilers please!'
    await pageB.getByRole('textbox', { name: 'Message' }).fill(reply)
    await pageB.getByRole('button', { name: 'Send' }).click()
    await eventually(async () => {
      assert.deepEqual(await messageTexts(pageB), [{ text: first, own: 'false' }, { text: reply, own: 'true' }])
    })
    await eventually(async () => {
      assert.deepEqual(await messageTexts(pageA), [{ text: first, own: 'true' }, { text: reply, own: 'false' }])
    })
    await messages(pageA).last().getByText(bobId.name, { exact: true }).waitFor()
  })

  it('leaves screenshots of both windows (and, with BITCHAT_UPDATE_SCREENSHOT=1, the README one)', async () => {
    // Hover styling depends on where the last click landed: move the pointer out of the way.
    for (const page of [pageA, pageB]) await page.mouse.move(0, 0)
    const fileA = await saveScreenshot(pageA, 'two-users-alice.png')
    const fileB = await saveScreenshot(pageB, 'two-users-bob.png')
    for (const file of [fileA, fileB]) assert.ok(fs.statSync(file).size > 10_000)
    // Keys and times differ on every run: refresh the committed picture only when asked, so tests leave the tree clean.
    if (process.env.BITCHAT_UPDATE_SCREENSHOT === '1') fs.copyFileSync(fileA, README_SCREENSHOT)
  })
})
