// What the UI asks of the core about invitations and groups of chosen people: each command calls
// the client, then feeds the answer to the store (invitation.received brings new ones live).
import type { BitChatClient, Hex, InvitationInfo } from '../../../core/api/contract.ts'
import { errorCodeOf, errorMessageOf } from '../client/api-call-error.ts'
import { invitationSentence } from '../lib/invitation-text.ts'
import { actions } from '../store/store.ts'
import { focusChannel } from './commands.ts'

/** Never rejects: the workspace works without them, and says they could not be read. */
export async function loadInvitations (client: BitChatClient): Promise<void> {
  try {
    actions().invitationsListed(await client.call('invitations.list', {}))
  } catch (err) {
    actions().noticePosted('error', 'Could not load your invitations', errorMessageOf(err))
  }
}

/** Joins the channel the invitation is for and shows it. */
export async function acceptInvitation (client: BitChatClient, invitation: InvitationInfo): Promise<Hex> {
  try {
    const { channelId } = await client.call('invitations.accept', { invitationId: invitation.invitationId })
    actions().invitationSettled(invitation.invitationId)
    await focusChannel(client, channelId)
    actions().noticePosted('info', `Joined #${invitation.name}`)
    return channelId
  } catch (err) {
    settleIfGone(invitation, err)
    throw err
  }
}

export async function declineInvitation (client: BitChatClient, invitation: InvitationInfo): Promise<void> {
  try {
    await client.call('invitations.decline', { invitationId: invitation.invitationId })
    actions().invitationSettled(invitation.invitationId)
  } catch (err) {
    settleIfGone(invitation, err)
    throw err
  }
}

// An invitation the core no longer has (answered in another window) should not stay on screen.
function settleIfGone (invitation: InvitationInfo, err: unknown): void {
  if (errorCodeOf(err) === 'INVITATION_NOT_FOUND') actions().invitationSettled(invitation.invitationId)
}

/** A failed answer to an invitation in plain words; the core's wording goes in the details. */
export function invitationProblem (verb: 'join' | 'decline', invitation: InvitationInfo, err: unknown): string {
  switch (errorCodeOf(err)) {
    case 'INVITATION_NOT_FOUND': return `The invitation to #${invitation.name} is no longer there: it was already answered.`
    case 'DISCONNECTED': return `Could not ${verb} #${invitation.name}: BitChat is not reachable right now. Try again in a moment.`
    default: return `Could not ${verb} #${invitation.name}.`
  }
}

/** Makes an invite-only channel for the chosen people, invites each, and shows it. */
export async function createGroup (client: BitChatClient, name: string, publicKeys: Hex[]): Promise<Hex> {
  const { channelId } = await client.call('channels.invite', { name, publicKeys })
  await focusChannel(client, channelId)
  return channelId
}

export async function inviteToChannel (client: BitChatClient, channelId: Hex, publicKeys: Hex[]): Promise<void> {
  await client.call('channels.invite', { channelId, publicKeys })
}

/**
 * The system's notification for an invitation that arrives while the window is not looked at,
 * through the browser's Notification API (Electron's window has it too). Only once the person
 * allowed notifications; the banner offers to ask.
 */
export function notifyInvitation (invitation: InvitationInfo, open: () => void): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return
  if (document.visibilityState === 'visible' && document.hasFocus()) return
  // Behind the lock screen the notification says only that something came.
  const locked = actions().uiLocked
  const notification = new Notification('Invitation', {
    body: locked ? 'You have a new invitation in BitChat.' : invitationSentence(invitation, actions().contacts),
    tag: `invitation-${invitation.invitationId}`
  })
  notification.onclick = () => {
    window.focus()
    open()
    notification.close()
  }
}
