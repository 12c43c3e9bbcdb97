// The network panel's "Your connection" and the members panel's paths as a person behind each kind
// of router sees them: the built renderer in a real Chromium, answered by the renderer's fake core
// (the page's `window.bitchat` bridge calls into it), since one machine's real daemons sit behind no
// NAT at all. Driven with the keyboard; screenshots at every size when BITCHAT_SCREENS_DIR is set.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import type { NatType, NetworkStatus } from '../../core/api/contract.ts'
import { resolveStaticFile, serveStaticFile } from '../../core/web/static-files.ts'
import { eventually, launchChromium, screensAtEverySize } from '../helpers/browser.ts'
import { channel, channelNetwork, FakeCore, hex, knownAddress, member, NAT_SITUATIONS, networkStatus, peer, tracker } from '../renderer/helpers/fake-core.ts'

const RENDERER_DIR = path.resolve(import.meta.dirname, '../../dist/renderer')
const GENERAL = hex(1)

const PEOPLE = [
  peer(1, { name: 'Ada', transport: 'tcp', rttMs: 18, address: '198.51.100.1:4000' }),
  peer(2, { name: 'Bashir', transport: 'udp', punched: true, rttMs: 64, address: '203.0.113.40:51820', sources: ['dht', 'pex'] }),
  peer(3, { name: 'Chen', transport: 'tcp', viaPortMapping: true, direction: 'incoming', rttMs: 35, address: '192.0.2.77:61544', sources: ['incoming'] }),
  peer(4, { name: 'Dagny', transport: 'relay', via: hex(1001), rttMs: 140, address: '198.51.100.1:4000', sources: ['pex'] }),
  peer(5, { name: 'Emeka', transport: 'udp', rttMs: 420, address: '203.0.113.5:4000', sources: ['lan'] })
]

function situation (nat: NatType): NetworkStatus {
  return networkStatus({
    listenPort: 4000,
    observedAddresses: ['203.0.113.7:4000', '203.0.113.7:52113'],
    dht: { enabled: true, nodes: 212, bootstrapped: true, lastError: null },
    lan: { enabled: true, lastError: null },
    connections: nat === 'unknown' ? 1 : PEOPLE.length,
    relay: { enabled: true, circuits: 2, bytesRelayed: 48_300_000 },
    channels: [channelNetwork(1, {
      name: 'general',
      trackers: [tracker('udp://tracker.opentrackr.org:1337/announce', { lastAnnounceAt: Date.now() - 60_000, nextAnnounceAt: Date.now() + 1_740_000, peersReturned: 6 })],
      addresses: [
        ...PEOPLE.map(p => knownAddress(p.address, { publicKey: p.publicKey, status: 'connected', sources: p.sources, ...(p.via === undefined ? {} : { via: p.via }) })),
        knownAddress('100.64.20.3:4000', { publicKey: hex(1009), status: 'backoff', failures: 4, sources: ['tracker'] })
      ]
    })],
    ...NAT_SITUATIONS[nat]
  })
}

/** The built renderer over HTTP on loopback: Chromium runs no module scripts from file:// pages. */
async function serveRenderer (): Promise<Server> {
  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname
    resolveStaticFile(RENDERER_DIR, pathname).then(
      async file => { if (file === null) res.writeHead(404).end(); else await serveStaticFile(req, res, file) },
      () => { res.writeHead(500).end() })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return server
}

/** The page's `window.bitchat`, as Electron's preload gives it, answered by `core` in this process. */
async function openOn (browser: Browser, url: string, core: FakeCore, width: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 800 } })
  page.setDefaultTimeout(10_000)
  await page.exposeFunction('fakeCoreCall', async (method: string, params: unknown) => {
    try {
      return { ok: true, result: await core.call(method as never, params as never) }
    } catch (err) {
      const { code, message } = err as { code?: string; message: string }
      return { ok: false, error: { code: code ?? 'INTERNAL', message } }
    }
  })
  await page.addInitScript(() => {
    const page = globalThis as unknown as { fakeCoreCall: (m: string, p: unknown) => Promise<unknown>; bitchat: unknown }
    page.bitchat = { call: async (m: string, p: unknown) => await page.fakeCoreCall(m, p), onEvent: () => () => {} }
  })
  await page.goto(url)
  await page.getByRole('heading', { level: 1, name: 'general' }).waitFor()
  return page
}

function coreBehind (nat: NatType): FakeCore {
  const core = new FakeCore()
  core.addChannel(channel(1, { name: 'general', peerCount: PEOPLE.length }), [], PEOPLE)
  core.members.set(GENERAL, [...PEOPLE.map((p, i) => member(i + 1, { name: p.name, online: true, lastSeen: Date.now() })), member(9, { name: 'Farah', lastSeen: Date.now() - 3_600_000 })])
  core.network = situation(nat)
  return core
}

describe('your connection and the paths to peers, behind each kind of router', () => {
  let browser: Browser
  let server: Server
  let url: string

  before(async () => {
    server = await serveRenderer()
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    browser = await launchChromium()
  })
  after(async () => {
    await browser?.close()
    server?.close()
  })

  const plain: Record<NatType, string> = { open: 'Open', consistent: 'Behind a router, hole punching works', random: 'Behind a strict router', unknown: 'Not checked' }
  for (const nat of ['open', 'consistent', 'random', 'unknown'] as const) {
    it(`shows a ${nat} NAT in plain words, opened with Ctrl+Shift+E`, async () => {
      const page = await openOn(browser, url, coreBehind(nat), 1280)
      await page.keyboard.press('Control+Shift+E')
      const section = page.getByRole('region', { name: 'Your connection' })
      await section.waitFor()
      assert.equal(await section.getByRole('region', { name: 'Your router' }).locator('.net-card__value').innerText(), plain[nat])
      if (nat === 'random') {
        const strict = page.getByTestId('network-hint').filter({ hasText: 'Nobody can connect to you directly' })
        await strict.getByText('Details').focus()
        await page.keyboard.press('Enter')
        await eventually(async () => { assert.equal(await strict.locator('details').getAttribute('open'), '') })
      }
      await screensAtEverySize(page, `connection-${nat}`)
      await page.close()
    })
  }

  it('says the IP address is hidden, and that no contact is online to relay for it', async () => {
    const core = coreBehind('unknown')
    core.network = { ...situation('unknown'), proxy: null, relayOnly: true, udp: { enabled: false, port: 0 }, portMapping: { state: 'off', reason: 'off while your IP address is hidden' }, observedAddresses: [] }
    const page = await openOn(browser, url, core, 1280)
    await page.keyboard.press('Control+Shift+E')
    const section = page.getByRole('region', { name: 'Your connection' })
    assert.equal(await section.getByRole('region', { name: 'Hiding your IP address' }).locator('.net-card__value').innerText(), 'On')
    await page.getByTestId('network-hint').filter({ hasText: 'No contact online to relay for you' }).waitFor()
    await screensAtEverySize(page, 'connection-hidden')
    await page.close()
  })

  it('says each member’s path in plain words, the technical words one key away', async () => {
    for (const width of [1280, 600]) {
      const page = await openOn(browser, url, coreBehind('consistent'), width)
      const panel = page.getByRole('complementary', { name: 'Members' })
      if (width < 1081) {
        await page.getByRole('button', { name: 'Members' }).focus()
        await page.keyboard.press('Enter')
      }
      await panel.waitFor()
      const labels = await panel.getByTestId('member-path-label').allInnerTexts()
      assert.deepEqual(labels, ['Direct (TCP)', 'Direct (UDP, through both routers)', 'Direct, through your router’s port forwarding', 'Through Ada', 'Direct (UDP)'])
      const bashir = panel.getByTestId('member').filter({ hasText: 'Bashir' })
      await bashir.locator('summary').focus()
      await page.keyboard.press('Enter')
      await eventually(async () => { assert.equal(await bashir.getByTestId('member-transport').innerText(), 'UDP, hole punched') })
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme })
        if (process.env.BITCHAT_SCREENS_DIR !== undefined) await page.screenshot({ path: path.join(process.env.BITCHAT_SCREENS_DIR, `member-paths-${width}-${colorScheme}.png`) })
      }
      await page.close()
    }
  })
})
