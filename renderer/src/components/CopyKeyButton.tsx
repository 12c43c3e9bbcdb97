import { copyText } from '../lib/clipboard.ts'
import { errorMessageOf } from '../client/api-call-error.ts'
import { actions } from '../store/store.ts'
import { Icon } from './Icon.tsx'

/** Copies a public key, saying so (or why it could not) in a notice. */
export function CopyKeyButton ({ publicKey, label }: { publicKey: string; label: string }) {
  const copy = (): void => {
    copyText(publicKey).then(
      () => { actions().noticePosted('info', 'Public key copied') },
      (err: unknown) => { actions().noticePosted('error', `Could not copy: ${errorMessageOf(err)}`) }
    )
  }
  return (
    <button type="button" className="icon-button icon-button--small" aria-label={label} onClick={copy}>
      <Icon name="copy" size={16} />
    </button>
  )
}
