// The network panel's "Your connection" and the members panel's path to each peer, against real
// daemons in the web UI: what the panel says is what network.status and peers.list say. Alice and Bob
// meet in a channel through a loopback tracker; Alice reads Bob's path and opens the panel with the
// keyboard. The panel is photographed at every size when BITCHAT_SCREENS_DIR is set (the members'
// paths at every size: connection-gallery.test.ts).
import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import type { IdentityInfo, NatType, NetworkStatus } from '../../core/api/contract.ts'
import { eventually, screensAtEverySize } from '../helpers/browser.ts'
import type { DaemonProcess } from '../helpers/testnet.ts'
import { webUsers } from '../helpers/web-users.ts'

const UI_TIMEOUT_MS = 30_000

/** The router card's value for each NAT type, as a person reads it (UDP off: "Not checked"; the DHT off: "Not known"). */
const NAT_VALUE: Record<NatType, string> = { open: 'Open', consistent: 'Behind a router, hole punching works', random: 'Behind a strict router', unknown: 'Not known yet' }

function routerValue (status: NetworkStatus): string {
  const nat = status.nat ?? 'unknown'
  if (nat === 'unknown' && status.udp?.enabled === false) return 'Not checked'
  return nat === 'unknown' && !status.dht.enabled ? 'Not known' : NAT_VALUE[nat]
}

describe('your connection and the path to a peer, in the web UI', () => {
  let alice: DaemonProcess
  let bobId: IdentityInfo
  let page: Page
  let channelId: string

  const web = webUsers(['Alice', 'Bob'], {
    stem: 'your-connection',
    timeoutMs: UI_TIMEOUT_MS,
    meet: async ({ net, users: [a, b] }) => {
      const created = await a!.daemon.call('channels.create', { name: 'allotment', trackers: [net.trackerUrl] })
      channelId = created.channelId
      await b!.daemon.call('channels.join', { uri: created.uri })
      await eventually(async () => { assert.equal((await a!.daemon.call('peers.list', { channelId })).length, 1) }, UI_TIMEOUT_MS)
    }
  })

  before(() => {
    const [a, b] = web.users
    ;[alice, page, bobId] = [a!.daemon, a!.page, b!.id]
  })

  it('shows Bob’s path in plain words with the round-trip time, and the technical words one key away', async () => {
    await page.getByRole('heading', { level: 1, name: 'allotment' }).waitFor()
    const bob = page.getByRole('complementary', { name: 'Members' }).getByTestId('member').filter({ hasText: bobId.name })
    const [peer] = await alice.call('peers.list', { channelId })
    assert.ok(peer !== undefined)
    assert.equal(peer.transport, 'tcp', 'two daemons on loopback connect over TCP')
    await eventually(async () => { assert.equal(await bob.getByTestId('member-path-label').innerText(), 'Direct (TCP)') })
    await eventually(async () => { assert.match(await bob.locator('summary .rtt').textContent() ?? '', /^Round-trip time \d+ ms$/) })
    await bob.locator('summary').focus()
    await page.keyboard.press('Enter')
    await eventually(async () => { assert.equal(await bob.getByTestId('member-transport').innerText(), 'TCP') })
    assert.equal(await bob.locator('.member__tech dd.mono').innerText(), peer.address)
  })

  it('shows in “Your connection” what network.status says', async () => {
    await page.keyboard.press('Control+Shift+E')
    const section = page.getByRole('region', { name: 'Your connection' })
    await section.waitFor()
    const status = await alice.call('network.status', {})
    const card = (name: string) => section.getByRole('region', { name, exact: true })
    const value = async (name: string) => await card(name).locator('.net-card__value').innerText()

    await eventually(async () => { assert.equal(await value('Your router'), routerValue(await alice.call('network.status', {}))) })
    assert.equal(await value('Your address'), `Port ${status.listenPort}`)
    for (const address of status.publicAddresses ?? []) await card('Your address').getByText(address, { exact: true }).waitFor()
    assert.equal(await value('Reachable from outside'), status.reachable ? 'Yes' : 'No')
    if (status.udp === undefined) assert.equal(await card('UDP').count(), 0)
    else assert.equal(await value('UDP'), status.udp.enabled ? 'On' : 'Off')
    assert.equal(status.portMapping?.state, 'off', 'the test network runs with --no-port-mapping')
    assert.equal(await value('Port forwarding'), 'Off')
    assert.equal(status.relay?.enabled, true)
    assert.equal(await value('Relaying for others'), 'On')
    assert.equal(await card('Proxy').count(), 0)
    assert.equal(await card('Hiding your IP address').count(), status.relayOnly === true ? 1 : 0)
    await screensAtEverySize(page, 'your-connection-real')
    await page.keyboard.press('Escape')
  })
})
