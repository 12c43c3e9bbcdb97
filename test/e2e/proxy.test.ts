// A person sets a proxy in Settings with the keyboard only, sees it in the network panel with the
// DHT and LAN off because of it, and goes back to connecting directly: real daemon, real browser,
// and Debian's microsocks as the proxy.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'
import { assertBrowserTestPrerequisites, eventually, launchChromium, openUserPage, screensAtEverySize, webUiUrl } from '../helpers/browser.ts'
import { proxiesUnavailable, startMicrosocks, type RealProxy } from '../helpers/proxies.ts'
import { createTestnet, type DaemonProcess, type Testnet } from '../helpers/testnet.ts'

const skip = proxiesUnavailable() ?? false

describe('setting a proxy in the app', { skip }, () => {
  let net: Testnet
  let browser: Browser | undefined
  let proxy: RealProxy
  let alice: DaemonProcess
  let page: Page

  before(async () => {
    assertBrowserTestPrerequisites()
    net = await createTestnet()
    proxy = await startMicrosocks()
    // The DHT and LAN asked for, on loopback only, so the proxy has something to turn off.
    alice = net.daemon('Alice', { args: ['--web'], discovery: ['--dht-bootstrap', '', '--lan-interface', '127.0.0.1'] })
    const url = await webUiUrl(alice)
    await alice.call('channels.create', { name: 'lounge', trackers: [net.trackerUrl] })
    browser = await launchChromium()
    page = await openUserPage(browser, url.href)
    page.setDefaultTimeout(15_000)
    await page.getByRole('heading', { level: 1, name: 'lounge' }).waitFor()
  })

  after(async () => {
    await browser?.close()
    await net.close()
    await proxy.close()
  })

  it('sets a SOCKS5 proxy with the keyboard, and the node uses it', async () => {
    await page.getByRole('button', { name: 'Settings' }).focus()
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'Settings' })
    const section = dialog.getByRole('region', { name: 'Proxy' })
    await section.getByRole('radio', { name: 'No proxy' }).focus()
    await page.keyboard.press('ArrowRight')
    assert.equal(await section.getByRole('radio', { name: 'SOCKS5 (Tor)' }).isChecked(), true)
    await page.keyboard.press('Tab')
    assert.equal(await section.getByLabel('Address').inputValue(), '127.0.0.1')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Control+A')
    await page.keyboard.type(String(proxy.port))
    await screensAtEverySize(page, 'proxy-settings')
    await page.keyboard.press('Enter')
    await eventually(async () => { assert.equal((await alice.call('settings.get', {})).proxy, `socks5://127.0.0.1:${proxy.port}`) })
    const status = await alice.call('network.status', {})
    assert.equal(status.proxy, `socks5://127.0.0.1:${proxy.port}`)
    assert.equal(status.dht.enabled, false)
    assert.equal(status.lan.enabled, false)
    await section.getByText(/A proxy is in use\./).waitFor()
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
  })

  it('shows the proxy in the network panel, and why the DHT and LAN are off', async () => {
    await page.keyboard.press('Control+Shift+E')
    const panel = page.getByTestId('network-panel')
    await panel.getByTestId('proxy-status').getByText(`socks5://127.0.0.1:${proxy.port}`).waitFor()
    await panel.getByRole('region', { name: 'DHT' }).getByText('Off while a proxy is in use: it would show your address.').waitFor()
    await screensAtEverySize(page, 'proxy-network-panel')
    await page.keyboard.press('Escape')
  })

  it('goes back to connecting directly, and the DHT wakes', async () => {
    await page.getByRole('button', { name: 'Settings' }).focus()
    await page.keyboard.press('Enter')
    const section = page.getByRole('dialog', { name: 'Settings' }).getByRole('region', { name: 'Proxy' })
    await section.getByRole('radio', { name: 'SOCKS5 (Tor)' }).focus()
    await page.keyboard.press('ArrowLeft')
    assert.equal(await section.getByRole('radio', { name: 'No proxy' }).isChecked(), true)
    await section.getByRole('button', { name: 'Save proxy' }).focus()
    await page.keyboard.press('Enter')
    await eventually(async () => { assert.equal((await alice.call('settings.get', {})).proxy, null) })
    await eventually(async () => { assert.equal((await alice.call('network.status', {})).dht.enabled, true) })
  })
})
