// The web UI's door, tried from the outside: a real daemon with --web, a real browser, and
// WebSocket clients that lie about where they come from. Nothing may leak without the token.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'
import { WebSocket } from 'ws'
import { assertBrowserTestPrerequisites, eventually, launchChromium, openUserPage, webUiUrl } from '../helpers/browser.ts'
import { createTestnet, type DaemonProcess, type Testnet } from '../helpers/testnet.ts'

const SECRET_CHANNEL = 'secret-plans'
const SECRET_TEXT = 'the launch code is 0000'

/** Opens a WebSocket and reports how the server answered the upgrade: 'open' or the HTTP status. */
function tryWebSocket (url: string, headers: { origin?: string }): Promise<'open' | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, headers.origin === undefined ? {} : { origin: headers.origin })
    ws.once('open', () => {
      ws.close()
      resolve('open')
    })
    ws.once('unexpected-response', (_req, res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    ws.once('error', reject)
  })
}

describe('the web UI without the token', () => {
  let net: Testnet
  let daemon: DaemonProcess
  let browser: Browser | undefined
  let ui: URL
  let token: string

  const refusals = (reason: string): number =>
    daemon.stderr.filter(l => l.includes('refused a WebSocket connection') && l.includes(reason)).length

  /** Checks that nothing the daemon holds reached the page. */
  async function assertNoData (page: Page): Promise<void> {
    const body = await page.locator('body').innerText()
    for (const secret of [SECRET_CHANNEL, SECRET_TEXT, 'Mallory-target']) assert.ok(!body.includes(secret), `the page shows ${secret}: ${body}`)
    assert.equal(await page.getByRole('navigation', { name: 'Channels' }).count(), 0)
    assert.equal(await page.getByTestId('channel-item').count(), 0)
    assert.equal(await page.getByTestId('message').count(), 0)
    assert.equal(await page.getByRole('textbox', { name: 'Message' }).count(), 0)
  }

  before(async () => {
    assertBrowserTestPrerequisites()
    net = await createTestnet()
    daemon = net.daemon('Mallory-target', { args: ['--web'] })
    ui = await webUiUrl(daemon)
    token = new URLSearchParams(ui.hash.slice(1)).get('token') ?? ''
    assert.match(token, /^[0-9a-f]{64}$/)
    const { channelId } = await daemon.call('channels.create', { name: SECRET_CHANNEL, trackers: [net.trackerUrl] })
    await daemon.call('messages.send', { channelId, text: SECRET_TEXT })
    browser = await launchChromium()
  })

  after(async () => {
    await browser?.close()
    await net?.close()
  })

  it('tells a page opened without the token that it is not authorised, and shows none of the data', async () => {
    assert.ok(browser !== undefined)
    const before = refusals('missing or wrong token')
    const page = await openUserPage(browser, ui.origin + '/')
    await page.getByRole('alert').getByText('Not authorised: this address has no access token.').waitFor()
    await eventually(() => { assert.ok(refusals('missing or wrong token') > before, 'the daemon never saw the page try to connect') })
    await assertNoData(page)
  })

  it('tells a page opened with a wrong token that its address is out of date, with none of the data', async () => {
    assert.ok(browser !== undefined)
    const before = refusals('missing or wrong token')
    const page = await openUserPage(browser, `${ui.origin}/#token=${'0'.repeat(64)}`)
    await page.getByRole('alert').getByText('This address is out of date: BitChat now has a new one.').waitFor()
    await page.getByText('printed when it last started').waitFor()
    assert.ok(refusals('missing or wrong token') > before, 'the daemon saw the page try to connect')
    await assertNoData(page)
  })

  it('refuses a WebSocket carrying the right token from a foreign Origin', async () => {
    const url = `ws://${ui.host}/rpc?token=${token}`
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${Number(ui.port) + 1}`, `https://${ui.host}`]) {
      assert.equal(await tryWebSocket(url, { origin }), 403, `Origin ${origin}`)
    }
    await eventually(() => { assert.ok(refusals('wrong or missing Origin header') >= 4, 'the daemon logged fewer refusals than it made') })
  })

  it('refuses a WebSocket carrying the right token but no Origin', async () => {
    assert.equal(await tryWebSocket(`ws://${ui.host}/rpc?token=${token}`, {}), 403)
  })

  it('refuses a WebSocket from our own Origin without the right token', async () => {
    assert.equal(await tryWebSocket(`ws://${ui.host}/rpc`, { origin: ui.origin }), 401)
    assert.equal(await tryWebSocket(`ws://${ui.host}/rpc?token=${'f'.repeat(64)}`, { origin: ui.origin }), 401)
  })

  it('accepts our own Origin with the right token, so the refusals above are about Origin and token', async () => {
    assert.equal(await tryWebSocket(`ws://${ui.host}/rpc?token=${token}`, { origin: ui.origin }), 'open')
  })
})
