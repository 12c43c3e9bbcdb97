// A refused group or invitation in plain words; the core's wording goes in the details.
import { errorCodeOf } from '../client/api-call-error.ts'

export function inviteProblem (err: unknown): string {
  switch (errorCodeOf(err)) {
    case 'DISCONNECTED': return 'BitChat is not reachable right now. Try again in a moment.'
    case 'INVALID_PARAMS': return 'BitChat refused someone on the list: a blocked person, or someone an invite-only channel does not list.'
    case 'NOT_A_MEMBER': return 'You are not a member of this channel, so you cannot invite anyone to it.'
    case 'CHANNEL_NOT_FOUND': return 'This channel is no longer here.'
    default: return 'The invitations could not be sent.'
  }
}
