import { describe, expect, it } from 'vitest'
import type { PeerInfo } from '../../core/api/contract.ts'
import { peerPath } from '../../renderer/src/lib/peer-path.ts'
import { peer } from './helpers/fake-core.ts'

const table: Array<{ peer: Partial<PeerInfo>; label: string; direct: boolean; transport: string }> = [
  { peer: { transport: 'tcp' }, label: 'Direct (TCP)', direct: true, transport: 'TCP' },
  { peer: { transport: 'udp' }, label: 'Direct (UDP)', direct: true, transport: 'UDP' },
  { peer: { transport: 'udp', punched: true }, label: 'Direct (UDP, through both routers)', direct: true, transport: 'UDP, hole punched' },
  { peer: { transport: 'tcp', viaPortMapping: true, direction: 'incoming' }, label: 'Direct, through your router’s port forwarding', direct: true, transport: 'TCP, in through the mapped port (UPnP / PCP / NAT-PMP)' },
  { peer: { transport: 'udp', viaPortMapping: true }, label: 'Direct, through your router’s port forwarding', direct: true, transport: 'UDP, in through the mapped port (UPnP / PCP / NAT-PMP)' },
  { peer: { transport: 'udp', punched: false, viaPortMapping: false }, label: 'Direct (UDP)', direct: true, transport: 'UDP' },
  { peer: { transport: 'relay', via: 'b'.repeat(64) }, label: 'Through Alice', direct: false, transport: 'Relay circuit' },
  { peer: { transport: 'proxy' }, label: 'Through your proxy', direct: false, transport: 'TCP through a proxy' }
]

describe('peerPath', () => {
  for (const row of table) {
    it(`${JSON.stringify(row.peer)} reads “${row.label}”`, () => {
      expect(peerPath(peer(1, row.peer), 'Alice')).toMatchObject({ label: row.label, direct: row.direct, transport: row.transport })
    })
  }

  it('says what a relayed path means: the relay passes it on without reading it', () => {
    expect(peerPath(peer(1, { transport: 'relay' }), 'Bob').meaning).toBe('Relayed through Bob: end-to-end encrypted, Bob passes it on without being able to read it')
  })
})
