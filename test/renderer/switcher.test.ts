import { describe, expect, it } from 'vitest'
import { filterSwitcherItems, matchScore, switcherItems } from '../../renderer/src/lib/switcher.ts'
import { channel, contact, hex, lastMessage, ME, member, peer, privateChat } from './helpers/fake-core.ts'

describe('how well a name answers what was typed', () => {
  it.each([
    ['general', '', 0],
    ['general', 'general', 0],
    ['general', 'gen', 1],
    ['team general', 'gen', 2],
    ['regenerate', 'gen', 3],
    ['general', 'gnrl', 4],
    ['general', 'lrng', null],
    ['general', 'x', null]
  ] as const)('%s for %s: %s', (name, query, score) => {
    expect(matchScore(name, query)).toBe(score)
  })
})

describe('what the quick switcher offers', () => {
  const sources = () => ({
    conversations: [channel(1, { name: 'general', last: lastMessage(1) }), channel(2, { name: 'Café crème', unread: 3 }), privateChat(1, { last: lastMessage(2) })],
    contacts: new Map([
      [hex(1001), contact(1, { name: 'Ann' })],
      [hex(1002), contact(2, { name: 'Zoë' })],
      [hex(1003), contact(3, { name: 'Mallory', blocked: true })]
    ]),
    members: new Map([[hex(1), [member(4, { name: 'Gene' }), member(3, { name: 'Mallory' }), { ...member(9), publicKey: ME.publicKey, name: 'Me' }]]]),
    peers: new Map([[hex(2), new Map([[hex(1005), peer(5, { name: 'Ravi' })]])]]),
    me: ME.publicKey
  })

  it('lists conversations in the order given, then contacts without one, then people met in channels; never you or someone blocked', () => {
    expect(switcherItems(sources()).map(i => `${i.kind}:${i.name}`)).toEqual([
      'channel:general', 'channel:Café crème', 'private:Ann', 'person:Zoë', 'person:Gene', 'person:Ravi'
    ])
  })

  it('narrows as one types, without case or accents, best matches first', () => {
    const items = switcherItems(sources())
    expect(filterSwitcherItems(items, 'cafe').map(i => i.name)).toEqual(['Café crème'])
    expect(filterSwitcherItems(items, 'ZOE').map(i => i.name)).toEqual(['Zoë'])
    expect(filterSwitcherItems(items, 'gen').map(i => i.name)).toEqual(['general', 'Gene'])
    expect(filterSwitcherItems(items, 'ge').map(i => i.name)).toEqual(['general', 'Gene'])
    expect(filterSwitcherItems(items, 'e').map(i => i.name)).toEqual(['general', 'Café crème', 'Zoë', 'Gene'])
    expect(filterSwitcherItems(items, '#gnrl').map(i => i.name)).toEqual(['general'])
    expect(filterSwitcherItems(items, 'nobody')).toEqual([])
  })
})
