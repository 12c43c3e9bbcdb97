// A private conversation carried through a relay, in the web UI, against real daemons: Alice and Bob
// take no incoming connections (as behind NATs) and share a channel with a third member who relays;
// they swapped contact links. Alice writes to Bob in their conversation; both see the conversation connected through the relay
// and end-to-end encrypted; Alice finds "Allow relaying for others" in her settings. Driven with the
// keyboard; screenshots at every size when BITCHAT_SCREENS_DIR is set.
import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import type { IdentityInfo } from '../../core/api/contract.ts'
import { eventually, screensAtEverySize } from '../helpers/browser.ts'
import type { DaemonProcess } from '../helpers/testnet.ts'
import { webUsers } from '../helpers/web-users.ts'

const UI_TIMEOUT_MS = 30_000
const TO_BOB = 'Bob, this goes through the relay, and only you can read it.'

const messageTexts = async (page: Page): Promise<string[]> => await page.getByTestId('message').locator('.message__text').allInnerTexts()
const dmItems = (page: Page) => page.getByRole('navigation', { name: 'Channels' }).locator('#dm-list').getByTestId('dm-item')

/** What a person does with Tab until the control is reached, then Enter. */
async function press (page: Page, locator: ReturnType<Page['getByRole']>, key = 'Enter'): Promise<void> {
  await locator.focus()
  await page.keyboard.press(key)
}

describe('a private conversation through a relay, in the web UI', () => {
  let relay: DaemonProcess, alice: DaemonProcess
  let bobId: IdentityInfo, aliceId: IdentityInfo
  let pageA: Page, pageB: Page
  let group: string

  const web = webUsers(['Alice', 'Bob'], {
    stem: 'relayed',
    timeoutMs: UI_TIMEOUT_MS,
    args: ['--no-listen'],
    meet: async ({ net, users: [a, b] }) => {
      relay = net.daemon('Relay')
      const created = await relay.call('channels.create', { name: 'hiking', trackers: [net.trackerUrl] })
      group = created.channelId
      await Promise.all([a!.daemon.call('channels.join', { uri: created.uri }), b!.daemon.call('channels.join', { uri: created.uri })])
      await eventually(async () => { assert.equal((await relay.call('peers.list', { channelId: group })).length, 2) }, UI_TIMEOUT_MS)
      await b!.daemon.call('messages.send', { channelId: group, text: 'Who is in for Saturday?' })
      await eventually(async () => { assert.ok((await a!.daemon.call('messages.list', { channelId: group })).some(m => m.text === 'Who is in for Saturday?')) }, UI_TIMEOUT_MS)
      // Never connected, they know each other's key from the links they swapped: the private conversation is there at once.
      await a!.daemon.call('contacts.add', { link: (await b!.daemon.call('identity.contactLink', {})).link })
      await b!.daemon.call('contacts.add', { link: (await a!.daemon.call('identity.contactLink', {})).link })
    }
  })

  before(() => {
    const [a, b] = web.users
    ;[alice, aliceId, bobId, pageA, pageB] = [a!.daemon, a!.id, b!.id, a!.page, b!.page]
  })

  it('Alice writes to Bob, whom she cannot reach directly; the conversation says it runs through the relay', async () => {
    await pageA.getByRole('heading', { level: 1, name: 'hiking' }).waitFor()
    await press(pageA, pageA.getByTestId('contact-item').filter({ hasText: bobId.name }))
    await press(pageA, pageA.getByRole('dialog').getByRole('button', { name: 'Message' }))
    await pageA.getByRole('heading', { level: 1, name: bobId.name }).waitFor()
    await pageA.getByRole('textbox', { name: 'Message' }).focus()
    await pageA.keyboard.type(TO_BOB)
    await pageA.keyboard.press('Enter')
    await eventually(async () => { assert.deepEqual(await messageTexts(pageA), [TO_BOB]) })
    const status = pageA.getByTestId('relay-status')
    await status.waitFor()
    assert.equal(await status.innerText(), 'connected through Relay (end-to-end encrypted)')
    const [peer] = await alice.call('peers.list', { channelId: (await alice.call('channels.list', {})).find(c => c.kind === 'private')!.channelId })
    assert.equal(peer?.transport, 'relay')
    await screensAtEverySize(pageA, 'relayed-conversation')
  })

  it('Bob reads it in his conversation with Alice, connected through the relay too', async () => {
    const item = dmItems(pageB).filter({ hasText: aliceId.name })
    await item.waitFor()
    await press(pageB, item)
    await pageB.getByRole('heading', { level: 1, name: aliceId.name }).waitFor()
    await eventually(async () => { assert.deepEqual(await messageTexts(pageB), [TO_BOB]) })
    await eventually(async () => { assert.equal(await pageB.getByTestId('relay-status').innerText(), 'connected through Relay (end-to-end encrypted)') })
    // In the channel they share, Alice shows as connected through the relay too: one connection carries both.
    await press(pageB, pageB.getByRole('navigation', { name: 'Channels' }).getByRole('button', { name: /hiking/ }))
    const aliceRow = pageB.getByRole('complementary', { name: 'Members' }).getByTestId('member').filter({ hasText: aliceId.name })
    await eventually(async () => { assert.equal(await aliceRow.getByTestId('member-path-label').innerText(), 'Through Relay') })
    await screensAtEverySize(pageB, 'relayed-member')
  })

  it('Alice finds relaying for others in her settings, on, with its limits, and turns it off with the keyboard', async () => {
    await press(pageA, pageA.getByRole('button', { name: 'Settings' }))
    const toggle = pageA.getByRole('switch', { name: 'Allow relaying for others' })
    await toggle.waitFor()
    assert.equal(await toggle.isChecked(), true)
    await toggle.scrollIntoViewIfNeeded()
    await toggle.focus()
    await screensAtEverySize(pageA, 'relay-settings')
    await pageA.keyboard.press('Space')
    await eventually(async () => { assert.equal((await alice.call('settings.get', {})).relayForOthers, false) })
    await eventually(async () => { assert.equal(await toggle.isChecked(), false) })
    await eventually(async () => { assert.equal(await toggle.getAttribute('aria-disabled'), null) })
    await pageA.keyboard.press('Space')
    await eventually(async () => { assert.equal((await alice.call('settings.get', {})).relayForOthers, true) })
    await eventually(async () => { assert.equal(await toggle.isChecked(), true) })
    await pageA.keyboard.press('Escape')
  })

  it('the network panel says whether one relays for others, and how much', async () => {
    await press(pageA, pageA.getByRole('button', { name: 'Network status' }))
    const card = pageA.getByTestId('relay-service-status')
    await card.waitFor()
    assert.match(await card.innerText(), /Nobody is connected through you right now/)
    await screensAtEverySize(pageA, 'relay-network')
    await pageA.keyboard.press('Escape')
    const status = await relay.call('network.status', {})
    assert.equal(status.relay?.circuits, 1, 'the relay carries one circuit: Alice and Bob')
  })
})
