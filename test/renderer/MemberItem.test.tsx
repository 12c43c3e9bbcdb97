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

  it('shows an incoming session, with transport and address, behind the path', () => {
    const row = renderMember({ direction: 'incoming', sources: ['lan', 'incoming'], transport: 'udp', rttMs: 12.4, address: '192.0.2.1:5000' })
    expect(row.querySelector('summary')?.textContent).toBe('Direct (UDP)Round-trip time 12 ms')
    expect(screen.getByTestId('member-direction').textContent).toBe('Incoming')
    const tech = row.querySelector('.member__tech')
    expect(tech?.closest('details')?.open).toBe(false)
    expect(tech?.textContent).toBe('TransportUDPAddress192.0.2.1:5000SessionIncomingFound viaLANIncoming')
  })

  const pathOf = (row: HTMLElement) => ({
    label: row.querySelector('[data-testid="member-path-label"]')?.textContent,
    tooltip: row.querySelector('summary')?.getAttribute('title'),
    transport: row.querySelector('[data-testid="member-transport"]')?.textContent
  })

  it('says a direct TCP connection plainly, with the round-trip time', () => {
    const row = renderMember({ transport: 'tcp', rttMs: 31 })
    expect(pathOf(row)).toEqual({ label: 'Direct (TCP)', tooltip: 'A direct connection between the two of you. TCP, 192.0.2.1:4000', transport: 'TCP' })
    expect(row.querySelector('.rtt')?.textContent).toBe('Round-trip time 31 ms')
  })

  it('says a punched UDP connection went through both routers', () => {
    expect(pathOf(renderMember({ transport: 'udp', punched: true })).label).toBe('Direct (UDP, through both routers)')
  })

  it('says a connection that came in through the forwarded port did so', () => {
    const path = pathOf(renderMember({ transport: 'tcp', viaPortMapping: true, direction: 'incoming' }))
    expect(path.label).toBe('Direct, through your router’s port forwarding')
    expect(path.transport).toBe('TCP, in through the mapped port (UPnP / PCP / NAT-PMP)')
  })

  it('shows a relayed connection as through the relaying member, by their name, with the relay’s address', () => {
    actions().peersListed(hex(7), [peer(2, { name: 'Alice' })])
    const row = renderMember({ transport: 'relay', via: peer(2).publicKey, address: '198.51.100.7:4000' })
    expect(pathOf(row)).toEqual({
      label: 'Through Alice',
      tooltip: 'Relayed through Alice: end-to-end encrypted, Alice passes it on without being able to read it. Relay circuit, 198.51.100.7:4000',
      transport: 'Relay circuit'
    })
    expect(row.querySelector('.member__tech')?.textContent).toMatch(/Relay at198\.51\.100\.7:4000/)
  })

  it('shows a connection through the proxy as such', () => {
    const row = renderMember({ transport: 'proxy', address: '203.0.113.9:4000' })
    expect(pathOf(row)).toEqual({ label: 'Through your proxy', tooltip: 'Through the proxy set in Settings: the peer sees the proxy’s address, not yours. TCP through a proxy, 203.0.113.9:4000', transport: 'TCP through a proxy' })
  })

  it('names an unknown relay plainly', () => {
    expect(pathOf(renderMember({ transport: 'relay', via: hex(999) })).label).toBe('Through another member')
  })

  it('shows no round-trip time before one is measured', () => {
    expect(renderMember({ rttMs: null }).querySelector('.rtt')?.textContent).toBe('Round-trip time —')
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
    expect(row.querySelector('[data-testid="member-path"]')).toBeNull()
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
