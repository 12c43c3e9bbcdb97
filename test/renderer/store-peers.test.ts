import { describe, expect, it } from 'vitest'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { hex, peer } from './helpers/fake-core.ts'

const peerKeys = (channelId: string): string[] => [...(useAppStore.getState().peers.get(channelId)?.keys() ?? [])]

describe('peers slice', () => {
  it('replaces a channel’s peers with a fetched list', () => {
    actions().peerConnected(hex(1), peer(9))
    actions().peersListed(hex(1), [peer(1), peer(2)])
    expect(peerKeys(hex(1))).toEqual([peer(1).publicKey, peer(2).publicKey])
  })

  it('adds a connected peer and updates one that reconnects', () => {
    actions().peersListed(hex(1), [peer(1)])
    actions().peerConnected(hex(1), peer(2))
    actions().peerConnected(hex(1), peer(1, { transport: 'relay', rttMs: 300 }))
    const peers = useAppStore.getState().peers.get(hex(1))
    expect(peers?.size).toBe(2)
    expect(peers?.get(peer(1).publicKey)).toMatchObject({ transport: 'relay', rttMs: 300 })
  })

  it('removes a disconnected peer without touching other channels', () => {
    actions().peersListed(hex(1), [peer(1), peer(2)])
    actions().peersListed(hex(2), [peer(1)])
    actions().peerDisconnected(hex(1), peer(1).publicKey)
    expect(peerKeys(hex(1))).toEqual([peer(2).publicKey])
    expect(peerKeys(hex(2))).toEqual([peer(1).publicKey])
  })

  it('keeps the same state for a disconnect of an unknown peer', () => {
    actions().peersListed(hex(1), [peer(1)])
    const before = useAppStore.getState().peers
    actions().peerDisconnected(hex(1), peer(5).publicKey)
    expect(useAppStore.getState().peers).toBe(before)
  })

  it('forgets a channel’s peers', () => {
    actions().peersListed(hex(1), [peer(1)])
    actions().peersCleared(hex(1))
    expect(useAppStore.getState().peers.has(hex(1))).toBe(false)
  })
})
