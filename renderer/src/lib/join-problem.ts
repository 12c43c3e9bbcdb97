import { errorCodeOf, errorMessageOf } from '../client/api-call-error.ts'

/** What to tell a person, in plain words, with the core's own wording kept for whoever wants it. */
export interface Problem { text: string; detail?: string }

// The core names the exact field at fault ("missing s", "not a bencoded dictionary"): true, but no help to most people.
const PLAIN: Partial<Record<ReturnType<typeof errorCodeOf>, string>> = {
  INVALID_URI: 'This invite link does not work: it is incomplete, was changed, or was made by another version of BitChat. Ask for a new one.',
  INVALID_CHAT_FILE: 'This file is not a BitChat invite that works: it is damaged, was changed, or was made by another version of BitChat. Ask for a new one.',
  INVITATION_ALTERED: 'This invitation was altered: its channel name or members are not the ones its creator made. Do not trust it; ask the creator for a new one.'
}

/** Why a link or a `.chat` file could not be joined. */
export function joinProblem (err: unknown): Problem {
  const plain = PLAIN[errorCodeOf(err)]
  return plain === undefined ? { text: errorMessageOf(err) } : { text: plain, detail: errorMessageOf(err) }
}
