// People who each run a daemon with its web UI, their windows open in one Debian Chromium: the
// setting of most end-to-end tests. Registers the suite's hooks: everything starts in before(),
// every window is photographed when a test fails, everything closes after.
import { after, afterEach, before } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import type { IdentityInfo } from '../../core/api/contract.ts'
import { assertBrowserTestPrerequisites, launchChromium, openUserPage, saveScreenshot, webUiUrl } from './browser.ts'
import { createTestnet, type DaemonProcess, type Testnet } from './testnet.ts'

export interface WebUser { daemon: DaemonProcess; id: IdentityInfo; url: URL; page: Page }

export interface WebUsers {
  net: Testnet
  /** In the order of the names given. */
  users: WebUser[]
}

/**
 * `meet` runs once the daemons are up and before any window opens (the channel they share, who is
 * whose contact): the windows then open on what is there. The returned object is filled in before().
 */
export function webUsers (names: readonly string[], opts: { stem: string; timeoutMs: number; meet?: (users: WebUsers) => Promise<void>; args?: readonly string[] }): WebUsers {
  const web = { users: [] } as unknown as WebUsers
  let browser: Browser | undefined

  before(async () => {
    assertBrowserTestPrerequisites()
    web.net = await createTestnet()
    const daemons = names.map(name => web.net.daemon(name, { args: ['--web', ...(opts.args ?? [])] }))
    const [urls, ids] = await Promise.all([Promise.all(daemons.map(async d => await webUiUrl(d))), Promise.all(daemons.map(async d => await d.call('identity.get', {})))])
    web.users = daemons.map((daemon, i) => ({ daemon, id: ids[i]!, url: urls[i]!, page: undefined as unknown as Page }))
    await opts.meet?.(web)
    browser = await launchChromium()
    const pages = await Promise.all(web.users.map(async u => await openUserPage(browser!, u.url.href)))
    for (const [i, page] of pages.entries()) {
      page.setDefaultTimeout(opts.timeoutMs)
      web.users[i]!.page = page
    }
  })

  afterEach(async (t) => {
    if (!('passed' in t) || t.passed) return
    const stem = `failed-${opts.stem}-${t.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}`
    await Promise.allSettled(web.users.map(async (u, i) => await saveScreenshot(u.page, `${stem}-${names[i]!.toLowerCase()}.png`)))
  })

  after(async () => {
    await browser?.close()
    await web.net?.close()
  })

  return web
}
