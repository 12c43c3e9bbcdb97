// An identity taken to another machine through the web UI alone, against real daemons: Alice exports
// hers from Settings; a fresh daemon started with --ask-identity imports the file on its first-run
// screen (a wrong passphrase first, said plainly), and comes up as Alice with her contacts. Then she
// locks the window with Ctrl+L and opens it again with her passphrase.
import { after, afterEach, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import type { IdentityInfo } from '../../core/api/contract.ts'
import { assertBrowserTestPrerequisites, launchChromium, openUserPage, saveScreenshot, screensAtEverySize, webUiUrl } from '../helpers/browser.ts'
import { createTestnet, waitUntil, type DaemonProcess, type Testnet } from '../helpers/testnet.ts'

const UI_TIMEOUT_MS = 20_000

describe('an identity taken to another machine through the web UI', () => {
  let net: Testnet
  let browser: Browser | undefined
  let alice: DaemonProcess, fresh: DaemonProcess
  let aliceId: IdentityInfo
  let pageA: Page, pageF: Page
  let saved: string
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bitchat-identity-'))

  before(async () => {
    assertBrowserTestPrerequisites()
    net = await createTestnet()
    alice = net.daemon('Alice', { args: ['--web'] })
    fresh = net.daemon('unused', { args: ['--web', '--ask-identity'] })
    const [urlA, urlF] = await Promise.all([webUiUrl(alice), webUiUrl(fresh)])
    aliceId = await alice.call('identity.get', {})
    await alice.call('contacts.add', { publicKey: 'b'.repeat(64), name: 'Bob' })
    browser = await launchChromium()
    ;[pageA, pageF] = await Promise.all([openUserPage(browser, urlA.href), openUserPage(browser, urlF.href)])
    for (const page of [pageA, pageF]) page.setDefaultTimeout(UI_TIMEOUT_MS)
  })

  afterEach(async (t) => {
    if (!('passed' in t) || t.passed) return
    const stem = `failed-identity-${t.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}`
    await Promise.allSettled([saveScreenshot(pageA, `${stem}-alice.png`), saveScreenshot(pageF, `${stem}-fresh.png`)])
  })

  after(async () => {
    await browser?.close()
    await net?.close()
    fs.rmSync(folder, { recursive: true, force: true })
  })

  it('Alice exports her identity from Settings and the window saves the file', async () => {
    await pageA.getByRole('button', { name: 'Settings' }).click()
    const settings = pageA.getByRole('dialog', { name: 'Settings' })
    await settings.getByRole('region', { name: 'Lock and transfer' }).scrollIntoViewIfNeeded()
    await screensAtEverySize(pageA, 'settings-lock-and-transfer')
    await settings.getByRole('button', { name: 'Export identity…' }).click()
    const dialog = pageA.getByRole('dialog', { name: 'Export identity' })
    await dialog.getByLabel('Passphrase for the file').fill('moving day')
    await dialog.getByLabel('Confirm passphrase').fill('moving day')
    await screensAtEverySize(pageA, 'export-identity')
    const [download] = await Promise.all([pageA.waitForEvent('download'), dialog.getByRole('button', { name: 'Export and save' }).click()])
    assert.equal(download.suggestedFilename(), 'Alice.bitchat-identity')
    saved = path.join(folder, download.suggestedFilename())
    await download.saveAs(saved)
    assert.ok(fs.statSync(saved).size > 0)
  })

  it('a fresh BitChat imports it on its first-run screen, after saying a wrong passphrase plainly', async () => {
    await pageF.getByRole('button', { name: 'I already have an identity' }).click()
    await pageF.getByLabel('Identity file').setInputFiles(saved)
    await pageF.getByLabel('Passphrase').fill('moving night')
    await pageF.getByRole('button', { name: 'Import identity' }).click()
    await pageF.getByRole('alert').getByText('That passphrase does not open this file.').waitFor()
    await screensAtEverySize(pageF, 'import-wrong-passphrase')
    await pageF.getByLabel('Passphrase').fill('moving day')
    await pageF.getByRole('button', { name: 'Import identity' }).click()
    await pageF.getByRole('navigation', { name: 'Channels' }).getByText('Alice').first().waitFor()
    const identity = await waitUntil(async () => (await fresh.call('identity.status', {})).identity, 10_000, 'the identity')
    assert.equal(identity.publicKey, aliceId.publicKey)
    assert.equal(identity.encrypted, true)
    await pageF.getByRole('list', { name: 'Contacts' }).getByText('Bob').waitFor()
  })

  it('Ctrl+L locks the imported window until its passphrase is typed', async () => {
    await pageF.keyboard.press('Control+l')
    await pageF.getByRole('heading', { name: 'BitChat is locked' }).waitFor()
    assert.equal(await pageF.getByRole('navigation', { name: 'Channels' }).count(), 0)
    await screensAtEverySize(pageF, 'locked')
    await pageF.keyboard.type('moving day')
    await pageF.keyboard.press('Enter')
    await pageF.getByRole('navigation', { name: 'Channels' }).waitFor()
  })
})
