import { errorCodeOf, errorMessageOf } from '../client/api-call-error.ts'
import type { Problem } from './join-problem.ts'

const PLAIN: Partial<Record<ReturnType<typeof errorCodeOf>, string>> = {
  INVALID_URI: 'This contact link does not work: it is incomplete, or was changed on the way. Ask them to send it again.',
  INVALID_CONTACT_FILE: 'This contact file does not work: it is damaged, was changed on the way, or was made by another version of BitChat. Ask them to send it again.',
  TOO_MANY_CONTACTS: 'Your address book is full. Remove someone before adding more.',
  CONTACT_NOT_FOUND: 'This person is no longer in your contacts.',
  DISCONNECTED: 'BitChat is not reachable right now. Try again in a moment.'
}

/** Why something about a contact could not be done, in plain words, the core's own wording one click away. */
export function contactProblem (err: unknown): Problem {
  const plain = PLAIN[errorCodeOf(err)]
  return plain === undefined ? { text: errorMessageOf(err) } : { text: plain, detail: errorMessageOf(err) }
}
