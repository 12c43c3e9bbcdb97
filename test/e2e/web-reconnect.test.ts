// A web UI tab outlives its daemon: restarted on the same data folder, the daemon comes back on the
// same port with the same token and the open tab picks up where it was; if the token changed, the
// tab says plainly to open the new address instead of retrying forever.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { assertBrowserTestPrerequisites, launchChromium, openUserPage, webUiUrl } from '../helpers/browser.ts'
import { createTestnet, tempDir, waitUntil, type DaemonProcess, type Testnet } from '../helpers/testnet.ts'

describe('a web UI tab across daemon restarts', () => {
  let net: Testnet
  let browser: Browser | undefined
  const dataDir = tempDir()
  let daemon: DaemonProcess
  let page: Page
  let address: URL

  before(async () => {
    assertBrowserTestPrerequisites()
    net = await createTestnet()
    daemon = net.daemon('Ada', { dataDir, args: ['--web'] })
    address = await webUiUrl(daemon)
    await daemon.call('channels.create', { name: 'lasting', trackers: [net.trackerUrl] })
    browser = await launchChromium()
    page = await openUserPage(browser, address.href)
    await page.getByRole('navigation', { name: 'Channels' }).getByText('lasting').waitFor({ timeout: 15_000 })
  })
  after(async () => {
    await browser?.close()
    await net.close()
  })

  it('reconnects by itself when the daemon restarts on the same data folder, and works again', async () => {
    assert.equal(await daemon.stop(), 0)
    await page.getByTestId('connection-banner').waitFor()
    daemon = net.daemon('Ada', { dataDir, args: ['--web'] })
    assert.equal((await webUiUrl(daemon)).href, address.href, 'same port, same token')
    await page.getByTestId('connection-banner').waitFor({ state: 'detached', timeout: 20_000 })
    await page.getByRole('textbox', { name: 'Message' }).fill('after the restart')
    await page.keyboard.press('Enter')
    const [channel] = await daemon.call('channels.list', {})
    assert.ok(channel !== undefined)
    await waitUntil(async () => (await daemon.call('messages.list', { channelId: channel.channelId })).some(m => m.text === 'after the restart'), 10_000, 'the message sent from the tab')
  })

  it('tells the tab to open the new address when the daemon comes back with another token', async () => {
    assert.equal(await daemon.stop(), 0)
    await page.getByTestId('connection-banner').waitFor()
    // The remembered address is gone (another data folder, a wiped one): same port, new token.
    rmSync(path.join(dataDir, 'web-ui.json'))
    daemon = net.daemon('Ada', { dataDir, args: ['--web', '--web-port', address.port] })
    const fresh = await webUiUrl(daemon)
    assert.notEqual(fresh.hash, address.hash)
    await page.getByRole('alert').getByText('BitChat restarted with a new address: open the address it printed when it started.', { exact: false }).waitFor({ timeout: 20_000 })
  })
})
