// A person turns 'Hide my IP address' on in Settings with the keyboard only: the node stops announcing
// itself (the DHT and LAN sleep) until it is turned off again, without a restart. Real daemon, real browser;
// screenshots at every size when BITCHAT_SCREENS_DIR is set.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'
import { assertBrowserTestPrerequisites, eventually, launchChromium, openUserPage, screensAtEverySize, webUiUrl } from '../helpers/browser.ts'
import { createTestnet, type DaemonProcess, type Testnet } from '../helpers/testnet.ts'

describe('hiding my IP address in the app', () => {
  let net: Testnet
  let browser: Browser | undefined
  let alice: DaemonProcess
  let page: Page

  before(async () => {
    assertBrowserTestPrerequisites()
    net = await createTestnet()
    // The DHT and LAN asked for, on loopback only, so hiding the address has something to put to sleep.
    alice = net.daemon('Alice', { args: ['--web'], discovery: ['--dht-bootstrap', '', '--lan-interface', '127.0.0.1', '--no-port-mapping'] })
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
  })

  const openSection = async () => {
    await page.getByRole('button', { name: 'Settings' }).focus()
    await page.keyboard.press('Enter')
    const section = page.getByRole('dialog', { name: 'Settings' }).getByRole('region', { name: 'Your IP address' })
    await section.waitFor()
    return section
  }

  it('turns it on with the keyboard, and the node stops announcing itself', async () => {
    const section = await openSection()
    const toggle = section.getByRole('switch', { name: 'Hide my IP address' })
    // Reached by Tab from the proxy's last control, as a keyboard user goes.
    await page.getByRole('button', { name: 'Save proxy' }).focus()
    await page.keyboard.press('Tab')
    assert.equal(await toggle.evaluate(el => el === (el.ownerDocument.activeElement as unknown)), true, 'the switch follows the proxy in the tab order')
    await screensAtEverySize(page, 'hide-address-off')
    await page.keyboard.press('Space')
    // The setting is stored at once; the DHT and LAN are put to sleep, and the switch follows the answer, a moment later.
    await eventually(async () => {
      const status = await alice.call('network.status', {})
      assert.deepEqual([status.relayOnly, status.dht.enabled, status.lan.enabled], [true, false, false])
    })
    await eventually(async () => { assert.equal(await toggle.isChecked(), true) })
    await section.getByText(/^Only your contacts connect to you directly/).waitFor()
    await screensAtEverySize(page, 'hide-address-on')
    await page.keyboard.press('Escape')
  })

  it('turns it off again, and the DHT wakes without a restart', async () => {
    const section = await openSection()
    await section.getByRole('switch', { name: 'Hide my IP address' }).focus()
    await page.keyboard.press('Space')
    await eventually(async () => { assert.equal((await alice.call('settings.get', {})).relayOnly, false) })
    await eventually(async () => { assert.equal((await alice.call('network.status', {})).dht.enabled, true) })
    await page.keyboard.press('Escape')
  })
})
