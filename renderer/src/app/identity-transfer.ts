// Taking an identity to another machine: exported sealed under a passphrase, imported on a first run.
import type { BitChatClient } from '../../../core/api/contract.ts'
import { ApiCallError, errorCodeOf } from '../client/api-call-error.ts'
import { bytesToBase64 } from '../lib/base64.ts'
import { MAX_IDENTITY_FILE_BYTES } from '../lib/limits.ts'
import { becameReady } from './commands.ts'

/** `current` is the passphrase guarding the identity today, which the core requires when there is one. */
export async function exportIdentity (client: BitChatClient, passphrase: string, current?: string): Promise<{ data: string; fileName: string }> {
  return await client.call('identity.export', current === undefined ? { passphrase } : { passphrase, current })
}

export async function importIdentity (client: BitChatClient, file: File, passphrase: string): Promise<void> {
  if (file.size === 0) throw new Error(`${file.name} is empty`)
  if (file.size > MAX_IDENTITY_FILE_BYTES) throw new Error(`${file.name} is too large to be an identity file`)
  const data = bytesToBase64(new Uint8Array(await file.arrayBuffer()))
  await becameReady(client, await client.call('identity.import', { data, passphrase }))
}

/** What went wrong with an import, in plain words. */
export function importProblem (err: unknown): string {
  // The window's own checks of the file are worded for people already.
  if (!(err instanceof ApiCallError)) return err instanceof Error ? err.message : String(err)
  switch (errorCodeOf(err)) {
    case 'WRONG_PASSPHRASE': return 'That passphrase does not open this file. Use the one you chose when you exported it.'
    case 'FILE_ERROR': return 'This is not a BitChat identity file, or it is damaged.'
    case 'IDENTITY_EXISTS': return 'This BitChat already has an identity; an identity can only be imported on a first run.'
    case 'DISCONNECTED': return 'BitChat is not reachable right now. Try again in a moment.'
    default: return 'The identity could not be imported.'
  }
}
