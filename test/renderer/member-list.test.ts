import { describe, expect, it } from 'vitest'
import type { MemberInfo } from '../../core/api/contract.ts'
import { memberLists } from '../../renderer/src/lib/member-list.ts'
import { hex, member, peer } from './helpers/fake-core.ts'
const names = (rows: Array<{ member: MemberInfo }>) => rows.map(r => r.member.name)
const asIs = (_: string, name: string) => name

describe('the members panel’s lists', () => {
  it('puts online members by name and offline ones most recently seen first, never seen last', () => {
    const { online, offline } = memberLists([
      member(1, { name: 'zoe', online: true }), member(2, { name: 'amy', online: true }),
      member(3, { lastSeen: 100 }), member(4, { lastSeen: null }), member(5, { lastSeen: 300 })
    ], undefined, asIs)
    expect(names(online)).toEqual(['amy', 'zoe'])
    expect(names(offline)).toEqual(['Peer 5', 'Peer 3', 'Peer 4'])
  })

  it('takes who is online from the connected peers once known, with their connection details', () => {
    const { online, offline } = memberLists([member(1, { online: true }), member(2, { lastSeen: 5 })], new Map([[peer(2).publicKey, peer(2)]]), asIs)
    expect(names(online)).toEqual(['Peer 2'])
    expect(online[0]?.peer).toEqual(peer(2))
    expect(names(offline)).toEqual(['Peer 1'])
  })

  it('lists a connected peer the members list has not caught up with as online', () => {
    const { online } = memberLists([], new Map([[peer(7).publicKey, peer(7)]]), asIs)
    expect(online.map(r => r.member.publicKey)).toEqual([peer(7).publicKey])
  })

  it('sorts by the names shown, yours for contacts', () => {
    const { online } = memberLists([member(1, { online: true }), member(2, { online: true })], undefined, (key, name) => key === hex(1001) ? 'Zed' : name)
    expect(names(online)).toEqual(['Peer 2', 'Peer 1'])
  })
})
