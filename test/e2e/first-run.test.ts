// A newcomer's first minute in the web UI that `npm start` falls back to: no identity yet, so the
// page asks for a name and an optional passphrase, and the node goes online once it has them.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'
import { assertBrowserTestPrerequisites, launchChromium, openUserPage, saveScreenshot, webUiUrl } from '../helpers/browser.ts'
import { createTestnet, waitUntil, type DaemonProcess, type Testnet } from '../helpers/testnet.ts'

describe('first run in the web UI', () => {
  let net: Testnet
  let daemon: DaemonProcess
  let browser: Browser | undefined
  let page: Page

  before(async () => {
    assertBrowserTestPrerequisites()
    net = await createTestnet()
    daemon = net.daemon('unused', { args: ['--web', '--ask-identity'] })
    browser = await launchChromium()
    page = await openUserPage(browser, (await webUiUrl(daemon)).href)
  })
  after(async () => {
    await browser?.close()
    await net.close()
  })

  it('asks for a name and a passphrase, then creates a sealed identity and shows it', async () => {
    assert.deepEqual(await daemon.call('identity.status', {}), { state: 'none' })
    await page.getByLabel('Display name').fill('Grace')
    await page.getByLabel('Passphrase (optional)').fill('hopper')
    await page.getByLabel('Confirm passphrase').fill('hopper')
    await page.getByRole('button', { name: 'Create identity' }).click()
    await page.getByRole('navigation', { name: 'Channels' }).getByText('Grace').waitFor({ timeout: 15_000 })
    const identity = await waitUntil(async () => (await daemon.call('identity.status', {})).identity, 10_000, 'the identity')
    assert.equal(identity.name, 'Grace')
    assert.equal(identity.encrypted, true)
    assert.ok((await daemon.call('settings.get', {})).listenPort > 0, 'the node went online')
    await saveScreenshot(page, 'first-run-done.png')
  })
})
