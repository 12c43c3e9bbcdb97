import { useEffect, useMemo, useState } from 'react'
import type { Hex, MemberInfo } from '../../../core/api/contract.ts'
import { useClient } from '../app/client-context.ts'
import { useChannelPeople } from '../app/use-channel-people.ts'
import { whoHolds } from '../lib/message-state.ts'
import { personLabel, shortFingerprint, type PersonLabel } from '../lib/people.ts'
import { formatDateTime } from '../lib/time.ts'
import { EMPTY_CHANNEL_MESSAGES } from '../store/messages.ts'
import { NO_RECEIPTS } from '../store/receipts.ts'
import { actions, useAppStore } from '../store/store.ts'
import { Avatar } from './Avatar.tsx'
import { Modal } from './Modal.tsx'
import { PersonName } from './PersonBadges.tsx'

function PeopleList ({ id, title, keys, labelOf, empty }: { id: string; title: string; keys: readonly Hex[]; labelOf: (publicKey: Hex) => PersonLabel; empty: string }) {
  return (
    <section className="message-details__section" aria-labelledby={id}>
      <h3 className="message-details__title" id={id}>{title} — {keys.length}</h3>
      {keys.length === 0
        ? <p className="message-details__empty">{empty}</p>
        : <ul className="message-details__list">{keys.map(publicKey => {
          const label = labelOf(publicKey)
          return (
            <li key={publicKey} className="member" data-testid="message-details-person">
              <Avatar name={label.name} publicKey={publicKey} size="sm" />
              <PersonName label={label} />
            </li>
          )
        })}</ul>}
    </section>
  )
}

/**
 * Who holds one of our messages and who has read it, by the names you know them by. Everyone known
 * in the channel (channels.members) names those not connected now and shows who has not got it yet.
 */
export function MessageDetailsDialog ({ channelId, messageId }: { channelId: Hex; messageId: Hex }) {
  const client = useClient()
  const message = useAppStore(s => (s.messages.get(channelId) ?? EMPTY_CHANNEL_MESSAGES).list.find(m => m.messageId === messageId))
  const positions = useAppStore(s => s.receipts.get(channelId)) ?? NO_RECEIPTS
  const contacts = useAppStore(s => s.contacts)
  const people = useChannelPeople(channelId)
  const [members, setMembers] = useState<readonly MemberInfo[] | null>(null)
  const close = (): void => { actions().dialogClosed() }

  useEffect(() => {
    let live = true
    // Without the list the dialog still names everyone with a receipt; only "not yet" needs it.
    client.call('channels.members', { channelId }).then(list => { if (live) setMembers(list) }, () => {})
    return () => { live = false }
  }, [client, channelId])

  const labelOf = useMemo(() => {
    const named = new Map(members?.map(m => [m.publicKey, m]))
    return (publicKey: Hex): PersonLabel => people.get(publicKey) ??
      personLabel(publicKey, named.get(publicKey)?.name ?? shortFingerprint(named.get(publicKey)?.fingerprint ?? publicKey.slice(0, 8).toUpperCase()), contacts, new Map())
  }, [members, people, contacts])

  if (message === undefined) {
    return (
      <Modal title="Message details" onClose={close}>
        <p>This message is no longer in the conversation.</p>
      </Modal>
    )
  }
  const { read, deliveredOnly } = whoHolds(positions, message.seq)
  const holders = new Set([...read, ...deliveredOnly])
  const waiting = members?.filter(m => !holders.has(m.publicKey)).map(m => m.publicKey)

  return (
    <Modal title="Message details" onClose={close}
      description={<>Sent {formatDateTime(message.timestamp)}. Members who turned read receipts off show under Delivered to, even once they read it.</>}>
      <blockquote className="message-details__quote" dir="auto">{message.text}</blockquote>
      <PeopleList id="details-read" title="Read by" keys={read} labelOf={labelOf} empty="Nobody has said they read it yet." />
      <PeopleList id="details-delivered" title="Delivered to" keys={deliveredOnly} labelOf={labelOf} empty={read.length > 0 ? 'Everyone who has it has read it.' : 'No member has it yet.'} />
      {waiting !== undefined && waiting.length > 0 && (
        <PeopleList id="details-waiting" title="Not delivered yet" keys={waiting} labelOf={labelOf} empty="" />
      )}
    </Modal>
  )
}
