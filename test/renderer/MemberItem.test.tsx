import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { MemberItem } from '../../renderer/src/components/MemberItem.tsx'
import { hex, peer } from './helpers/fake-core.ts'
import { actions } from '../../renderer/src/store/store.ts'

function renderMember (fields: Parameters<typeof peer>[1]): HTMLElement {
  const connected = peer(1, fields)
  render(<ul><MemberItem person={connected} peer={connected} /></ul>)
  return screen.getByTestId('member')
}

describe('MemberItem', () => {
  it('shows every way the peer was found as badges in a fixed order', () => {
    renderMember({ sources: ['stored', 'pex', 'tracker'] })
    const badges = [...screen.getByTestId('member-sources').querySelectorAll('.source')]
    expect(badges.map(b => b.textContent)).toEqual(['Tracker', 'PEX', 'Stored'])
    expect(badges[1]?.getAttribute('title')).toBe('Passed on by another peer (peer exchange)')
  })

  it('shows an outgoing session as dialled by us', () => {
    renderMember({ direction: 'outgoing' })
    const direction = screen.getByTestId('member-direction')
    expect(direction.textContent).toBe('Outgoing')
    expect(direction.getAttribute('title')).toBe('You dialled this peer')
  })

  it('shows an incoming session next to transport and round-trip time', () => {
    const row = renderMember({ direction: 'incoming', sources: ['lan', 'incoming'], transport: 'udp', rttMs: 12.4 })
    expect(screen.getByTestId('member-direction').textContent).toBe('Incoming')
    expect(row.querySelector('.member__link')?.textContent).toBe('UDPRound-trip time 12 msIncoming')
    expect([...row.querySelectorAll('.source')].map(b => b.textContent)).toEqual(['LAN', 'Incoming'])
  })

  it('shows a relayed connection with whom it runs through, by their name, and no relay for a direct one', () => {
    actions().peersListed(hex(7), [peer(2, { name: 'Alice' })])
    const row = renderMember({ transport: 'relay', via: peer(2).publicKey })
    expect(row.querySelector('.tag')?.textContent).toBe('Relay')
    const via = screen.getByTestId('member-via')
    expect(via.textContent).toBe('via Alice')
    expect(via.getAttribute('title')).toBe('Relayed through Alice: end-to-end encrypted, Alice passes it on without being able to read it')
    render(<ul><MemberItem person={peer(3)} peer={peer(3)} /></ul>)
    expect(screen.getAllByTestId('member')[1]?.querySelector('[data-testid="member-via"]')).toBeNull()
  })

  it('shows a connection through the proxy as such', () => {
    const row = renderMember({ transport: 'proxy', address: '203.0.113.9:4000' })
    const tag = row.querySelector('.tag')
    expect(tag?.textContent).toBe('Proxy')
    expect(tag?.getAttribute('title')).toBe('TCP through your proxy (203.0.113.9:4000)')
  })

  it('names an unknown relay plainly', () => {
    renderMember({ transport: 'relay', via: hex(999) })
    expect(screen.getByTestId('member-via').textContent).toBe('via another member')
  })

  it('warns about a member who signed conflicting messages, and only about them', () => {
    const row = renderMember({ flagged: true })
    expect(row.querySelector('.member__flag')?.textContent).toBe('Sent conflicting messages')
    render(<ul><MemberItem person={peer(2)} peer={peer(2)} /></ul>)
    expect(screen.getAllByTestId('member')[1]?.querySelector('.member__flag')).toBeNull()
  })

  it('says when an offline member was last connected, relative to now, without connection details', () => {
    const now = Date.UTC(2024, 4, 1, 12)
    render(<ul><MemberItem person={peer(1)} seen={{ at: now - 5 * 60_000, now }} /></ul>)
    const row = screen.getByTestId('member')
    expect(screen.getByTestId('member-seen').textContent).toBe('last seen 5 minutes ago')
    expect(row.className).toMatch(/member--offline/)
    expect(row.querySelector('.member__link')).toBeNull()
  })

  it('says “just now” rather than counting seconds since someone left', () => {
    const now = Date.UTC(2024, 4, 1, 12)
    render(<ul><MemberItem person={peer(1)} seen={{ at: now - 20_000, now }} /></ul>)
    expect(screen.getByTestId('member-seen').textContent).toBe('last seen just now')
  })

  it('says “never connected” for a member never seen here', () => {
    render(<ul><MemberItem person={peer(1)} seen={{ at: null, now: Date.now() }} /></ul>)
    expect(screen.getByTestId('member-seen').textContent).toBe('never connected')
  })

  it('marks the channel’s creator', () => {
    render(<ul><MemberItem person={{ ...peer(1), role: 'creator' }} /></ul>)
    expect(screen.getByTestId('member').querySelector('.member__role')?.textContent).toBe('Creator')
  })
})
