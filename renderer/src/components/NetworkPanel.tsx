import { useMemo, useState } from 'react'
import type { ChannelNetwork } from '../../../core/api/contract.ts'
import { NETWORK_POLL_MS } from '../app/network-status.ts'
import { NETWORK_SHORTCUT_LABEL } from '../app/use-network-shortcut.ts'
import { useNetworkPolling } from '../app/use-network-polling.ts'
import { byName } from '../lib/by-name.ts'
import { networkHints, type PersonOf } from '../lib/network-hints.ts'
import { privatePeerName, privatePeerOf } from '../lib/private-conversation.ts'
import { actions, useAppStore } from '../store/store.ts'
import { ChannelNetworkSection } from './ChannelNetworkSection.tsx'
import { Modal } from './Modal.tsx'
import { NetworkHints } from './NetworkHints.tsx'
import { PeerFinders } from './PeerFinders.tsx'
import { YourConnection } from './YourConnection.tsx'

type Scope = 'current' | 'all'

const NO_CHANNELS: readonly ChannelNetwork[] = []

/** The current conversation as the switch names it: "#general", or the person. */
function ScopeSwitch ({ scope, currentName, person, onChange }: { scope: Scope; currentName: string; person: string | undefined; onChange: (scope: Scope) => void }) {
  return (
    <fieldset className="segmented net-scope">
      <legend className="visually-hidden">Channels shown</legend>
      <label className="segmented__option">
        <input type="radio" name="net-scope" checked={scope === 'current'} onChange={() => { onChange('current') }} />
        <span>{person === undefined ? <>#<bdi>{currentName}</bdi></> : <bdi>{person}</bdi>}</span>
      </label>
      <label className="segmented__option">
        <input type="radio" name="net-scope" checked={scope === 'all'} onChange={() => { onChange('all') }} />
        <span>All channels</span>
      </label>
    </fieldset>
  )
}

export function NetworkPanel () {
  useNetworkPolling()
  const status = useAppStore(s => s.networkStatus)
  const fetchedAt = useAppStore(s => s.networkFetchedAt) ?? 0
  const error = useAppStore(s => s.networkError)
  const activeChannelId = useAppStore(s => s.activeChannelId)
  const [scope, setScope] = useState<Scope>('current')
  const summaries = useAppStore(s => s.channels)
  const contacts = useAppStore(s => s.contacts)
  const personOf = useMemo<PersonOf>(() => channelId => {
    const summary = summaries.get(channelId)
    const peer = summary === undefined ? undefined : privatePeerOf(summary)
    return peer === undefined ? undefined : privatePeerName(peer, contacts)
  }, [summaries, contacts])

  const channels = status?.channels ?? NO_CHANNELS
  const current = channels.find(c => c.channelId === activeChannelId)
  const shown = useMemo(
    () => scope === 'current' && current !== undefined ? [current] : [...channels].sort(byName),
    [scope, current, channels]
  )
  // Whom a hidden address may go through: a blocked contact relays nothing for us.
  const contactKeys = useMemo(() => new Set([...contacts.values()].filter(c => !c.blocked).map(c => c.publicKey)), [contacts])
  const hints = useMemo(
    () => status === null ? [] : networkHints(status, shown, { personOf, contacts: contactKeys }),
    [status, shown, personOf, contactKeys])
  const anyConnected = shown.some(c => c.addresses.some(a => a.status === 'connected'))

  return (
    <Modal title="Network status" size="large" onClose={() => { actions().dialogClosed() }}
      description={`How BitChat finds and reaches peers, refreshed every ${NETWORK_POLL_MS / 1000} seconds. ${NETWORK_SHORTCUT_LABEL} opens and closes this panel.`}>
      <div className="net" data-testid="network-panel">
        {error !== null && <p className="form-error" role="alert">Could not get the network status: {error}</p>}
        {status === null && error === null && <p className="muted" role="status">Asking BitChat for the network status…</p>}
        {status !== null && (
          <>
            <YourConnection status={status} />
            <NetworkHints hints={hints} anyConnected={anyConnected} />
            <PeerFinders status={status} />
            <div className="net-channels__bar">
              <h3 className="net-section-title">Channels</h3>
              {current !== undefined && channels.length > 1 && <ScopeSwitch scope={scope} currentName={current.name} person={personOf(current.channelId)} onChange={setScope} />}
            </div>
            {shown.length === 0
              ? <p className="net-empty">You are in no channel yet. Once you join one, its trackers and the peers found for it show here.</p>
              : shown.map(c => <ChannelNetworkSection key={c.channelId} channel={c} person={personOf(c.channelId)} now={fetchedAt} />)}
          </>
        )}
      </div>
    </Modal>
  )
}
