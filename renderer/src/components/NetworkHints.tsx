import type { NetworkHint } from '../lib/network-hints.ts'
import { Icon, type IconName } from './Icon.tsx'

const ICON: Record<NetworkHint['tone'], IconName> = { error: 'alert', warning: 'alert', info: 'info' }

export function NetworkHints ({ hints, anyConnected }: { hints: readonly NetworkHint[]; anyConnected: boolean }) {
  if (hints.length === 0) return null
  return (
    <section className="net-hints" aria-labelledby="net-hints-title">
      <h3 className="net-section-title" id="net-hints-title">{anyConnected ? 'Worth checking' : 'Why nothing connects'}</h3>
      <ul className="net-hints__list">
        {hints.map(hint => (
          <li key={hint.id} className={`net-hint net-hint--${hint.tone}`} data-testid="network-hint">
            <span className="net-hint__icon" aria-hidden="true"><Icon name={ICON[hint.tone]} size={16} /></span>
            <div className="net-hint__body">
              <p>{hint.text}</p>
              {hint.details !== undefined && (
                <details className="net-hint__more">
                  <summary>Details</summary>
                  <ul className="net-hint__details">{hint.details.map(d => <li key={d} className="mono">{d}</li>)}</ul>
                </details>
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  )
}
