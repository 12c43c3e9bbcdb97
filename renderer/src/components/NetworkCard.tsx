import type { ReactNode } from 'react'
import { errorMessageOf } from '../client/api-call-error.ts'
import { copyText } from '../lib/clipboard.ts'
import { actions } from '../store/store.ts'
import { Icon, type IconName } from './Icon.tsx'

export type Tone = 'good' | 'warning' | 'neutral'

/** One fact of the network panel: what it is, its value in a word or two, and what that means. */
export function Card ({ label, value, tone, icon, children, testId }: {
  label: string
  value: string
  tone: Tone
  icon: IconName
  children: ReactNode
  testId?: string
}) {
  return (
    <section className={`net-card net-card--${tone}`} aria-label={label} data-testid={testId}>
      <span className="net-card__icon" aria-hidden="true"><Icon name={icon} size={18} /></span>
      <div className="net-card__body">
        <h3 className="net-card__label">{label}</h3>
        <p className="net-card__value">{value}</p>
        <div className="net-card__detail">{children}</div>
      </div>
    </section>
  )
}

/** The technical words behind a card, one click away. */
export function CardDetails ({ children }: { children: ReactNode }) {
  return <details className="net-card__more"><summary>Details</summary><div className="net-card__tech">{children}</div></details>
}

function CopyAddressButton ({ address }: { address: string }) {
  const copy = (): void => {
    copyText(address).then(
      () => { actions().noticePosted('info', 'Address copied') },
      (err: unknown) => { actions().noticePosted('error', `Could not copy: ${errorMessageOf(err)}`) }
    )
  }
  return (
    <button type="button" className="icon-button icon-button--small net-card__copy" aria-label={`Copy ${address}`} title="Copy" onClick={copy}>
      <Icon name="copy" size={14} />
    </button>
  )
}

/** Addresses as `host:port`; `copyable` gives each a copy button, for someone to pass on. */
export function AddressList ({ addresses, copyable = false }: { addresses: readonly string[]; copyable?: boolean }) {
  return (
    <ul className={`net-card__addresses${copyable ? ' net-card__addresses--copyable' : ''}`}>
      {addresses.map(a => <li key={a}><span className="mono">{a}</span>{copyable && <CopyAddressButton address={a} />}</li>)}
    </ul>
  )
}
