import { useEffect, useState, type FormEvent } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { ContactInfo, Hex } from '../../../core/api/contract.ts'
import { useClient } from '../app/client-context.ts'
import { inviteToChannel } from '../app/invitations.ts'
import { loadMembers } from '../app/members.ts'
import { errorMessageOf } from '../client/api-call-error.ts'
import { inviteProblem } from '../lib/invite-problem.ts'
import { MAX_INVITEES } from '../lib/limits.ts'
import { sortContacts } from '../store/contacts.ts'
import { actions, useAppStore } from '../store/store.ts'
import { ErrorDetails } from './ErrorDetails.tsx'
import { Modal } from './Modal.tsx'
import { PeoplePicker } from './PeoplePicker.tsx'

/**
 * Invites contacts to a channel, each by a private message. People already in it (its creator, and
 * whoever was seen here) show as such and cannot be picked. An invite-only channel lets in only the
 * keys on its member list, so only those can be picked, and the others say why.
 */
export function InvitePeopleDialog ({ channelId }: { channelId: Hex }) {
  const client = useClient()
  const channel = useAppStore(s => s.channels.get(channelId))
  const people = useAppStore(useShallow(s => sortContacts(s.contacts).filter(c => !c.blocked)))
  const members = useAppStore(s => s.members.get(channelId))
  const [selected, setSelected] = useState<ReadonlySet<Hex>>(new Set())
  const [error, setError] = useState<string | undefined>(undefined)
  const [failure, setFailure] = useState<{ text: string; detail: string } | null>(null)
  const [busy, setBusy] = useState(false)
  const close = (): void => { actions().dialogClosed() }
  const inviteOnly = channel?.mode === 'invite'

  useEffect(() => { void loadMembers(client, channelId) }, [client, channelId])

  const listed = new Set(members?.map(m => m.publicKey))
  // Being on an invite-only channel's list only lets someone join: whoever was never seen here may not have yet.
  const joined = new Set(members?.filter(m => m.role === 'creator' || m.online || m.lastSeen !== null).map(m => m.publicKey))
  const alreadyIn = (person: ContactInfo): boolean => joined.has(person.publicKey)
  const unavailable = (person: ContactInfo): string | undefined => {
    if (!inviteOnly) return undefined
    if (members === undefined) return 'Reading the member list…'
    return listed.has(person.publicKey) ? undefined : 'Not on this channel’s member list, which its creator set.'
  }

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault()
    if (busy) return
    const problem = selected.size === 0 ? 'Choose at least one person.' : selected.size > MAX_INVITEES ? `At most ${MAX_INVITEES} people at once.` : undefined
    setError(problem)
    setFailure(null)
    if (problem !== undefined) return
    setBusy(true)
    try {
      await inviteToChannel(client, channelId, [...selected])
      actions().dialogClosed()
      actions().noticePosted('info', `Invited ${selected.size === 1 ? 'one person' : `${selected.size} people`} to #${channel?.name ?? 'channel'}`)
    } catch (err) {
      setFailure({ text: inviteProblem(err), detail: errorMessageOf(err) })
      setBusy(false)
    }
  }

  const name = channel?.name ?? 'channel'
  return (
    <Modal title={<>Invite people to #<bdi>{name}</bdi></>} onClose={close}
      description={inviteOnly
        ? 'Each person you choose gets an invitation in your private conversation with them. This channel is invite-only: only people on its member list can join, so only they can be chosen.'
        : 'Each person you choose gets an invitation in your private conversation with them, and joins when they accept.'}>
      <form className="form" onSubmit={e => { void submit(e) }} noValidate>
        <PeoplePicker people={people} selected={selected} onChange={setSelected} unavailable={unavailable} alreadyIn={alreadyIn} error={error} />
        {failure !== null && <p className="form-error" role="alert">{failure.text} <ErrorDetails detail={failure.detail} /></p>}
        <div className="form__actions">
          <button type="button" className="button" onClick={close}>Cancel</button>
          <button type="submit" className="button button--primary" aria-disabled={busy || undefined}>{busy ? 'Inviting…' : 'Send invitations'}</button>
        </div>
      </form>
    </Modal>
  )
}
