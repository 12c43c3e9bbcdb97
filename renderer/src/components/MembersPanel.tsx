import { useEffect, useMemo, useRef } from 'react'
import type { Hex } from '../../../core/api/contract.ts'
import { useClient } from '../app/client-context.ts'
import { messagePerson } from '../app/commands.ts'
import { errorMessageOf } from '../client/api-call-error.ts'
import { memberLists, type MemberRow } from '../lib/member-list.ts'
import { actions, useAppStore } from '../store/store.ts'
import { membersLieOver, whenMembersStartLyingOver } from '../store/ui.ts'
import { Avatar } from './Avatar.tsx'
import { Icon } from './Icon.tsx'
import { MemberItem } from './MemberItem.tsx'
import { usePeersPolling } from '../app/use-peers-polling.ts'
import { useChannelPeople } from '../app/use-channel-people.ts'
import { useNow } from '../app/use-now.ts'

/** "last seen 5 minutes ago" moves on by itself while the panel shows. */
const LAST_SEEN_TICK_MS = 30_000

// The panel's own button disappears with it; keyboard focus goes back to the toggle in the header.
function hide (): void {
  actions().membersToggled(false)
  document.querySelector<HTMLElement>('[aria-controls="members-panel"]')?.focus()
}

export function MembersPanel ({ channelId }: { channelId: Hex }) {
  const client = useClient()
  usePeersPolling(channelId)
  const peerMap = useAppStore(s => s.peers.get(channelId))
  const known = useAppStore(s => s.members.get(channelId))
  const now = useNow(LAST_SEEN_TICK_MS)
  const identity = useAppStore(s => s.identityStatus?.identity)
  const notMember = useAppStore(s => s.channels.get(channelId)?.access === 'not-member')
  const people = useChannelPeople(channelId)
  // Online ones sorted by the names shown, which for contacts are yours.
  const { online, offline } = useMemo(
    () => memberLists(known, peerMap, (publicKey, name) => people.get(publicKey)?.name ?? name),
    [known, peerMap, people])
  const panel = useRef<HTMLElement>(null)
  const message = (publicKey: Hex): void => {
    // Over a narrow window's conversation the panel would hide the one just opened.
    if (membersLieOver()) actions().membersToggled(false)
    messagePerson(client, publicKey).catch((err: unknown) => {
      actions().noticePosted('error', 'Could not open the private conversation', errorMessageOf(err))
    })
  }

  // Escape closes it from inside, and from anywhere while it covers the conversation; an open dialog answers Escape itself.
  // Opened beside the conversation, it closes rather than cover it once the window narrows.
  useEffect(() => {
    const close = (): void => {
      if (panel.current?.contains(document.activeElement) === true) hide()
      else actions().membersToggled(false)
    }
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape' || event.defaultPrevented || actions().dialog !== null) return
      if (panel.current?.contains(document.activeElement) !== true && !membersLieOver()) return
      event.preventDefault()
      close()
    }
    document.addEventListener('keydown', onKeyDown)
    const stopWatching = whenMembersStartLyingOver(close)
    return () => {
      document.removeEventListener('keydown', onKeyDown)
      stopWatching()
    }
  }, [])

  const item = ({ member, peer }: MemberRow, seenFrom?: number) => (
    <MemberItem key={member.publicKey} person={member} peer={peer} label={people.get(member.publicKey)}
      seen={seenFrom === undefined ? undefined : { at: member.lastSeen, now: seenFrom }}
      onMessage={() => { message(member.publicKey) }}
      onAddContact={() => { actions().dialogOpened({ kind: 'add-contact', member: { publicKey: member.publicKey, name: peer?.name ?? member.name, fingerprint: member.fingerprint } }) }}
      onOpenContact={() => { actions().dialogOpened({ kind: 'contact', publicKey: member.publicKey }) }} />
  )

  return (
    <aside ref={panel} className="members" id="members-panel" aria-label="Members">
      <header className="members__header">
        <h2 className="members__title">Members</h2>
        <button type="button" className="icon-button" aria-label="Hide members" onClick={hide}>
          <Icon name="close" size={18} />
        </button>
      </header>
      {identity !== undefined && (
        <section className="members__section" aria-labelledby="members-you">
          <h3 className="members__section-title" id="members-you">You</h3>
          <div className="member member--self">
            <Avatar name={identity.name} publicKey={identity.publicKey} />
            <div className="member__info">
              <span className="member__name" dir="auto">{identity.name}</span>
              <span className="member__fingerprint" title={`Fingerprint ${identity.fingerprint}`}>{identity.fingerprint}</span>
            </div>
          </div>
        </section>
      )}
      <section className="members__section" aria-labelledby="members-online">
        <h3 className="members__section-title" id="members-online">Online — {online.length}</h3>
        {online.length === 0
          ? <p className="members__empty">{notMember
            ? 'Nobody will connect: you are not on this channel’s member list.'
            : 'Nobody is connected yet. Peers show up here as they are found through trackers and the DHT.'}</p>
          : <ul className="members__list">{online.map(row => item(row))}</ul>}
      </section>
      {offline.length > 0 && (
        <section className="members__section" aria-labelledby="members-offline">
          <h3 className="members__section-title" id="members-offline">Offline — {offline.length}</h3>
          <ul className="members__list">{offline.map(row => item(row, now))}</ul>
        </section>
      )}
    </aside>
  )
}
