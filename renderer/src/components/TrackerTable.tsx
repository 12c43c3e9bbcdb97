import type { TrackerStatus } from '../../../core/api/contract.ts'
import { formatDateTime, formatRelative } from '../lib/time.ts'
import { Icon } from './Icon.tsx'

function When ({ at, now, none }: { at: number | null; now: number; none: string }) {
  if (at === null) return <span className="muted">{none}</span>
  return <time dateTime={new Date(at).toISOString()} title={formatDateTime(at)}>{formatRelative(at, now)}</time>
}

/** Scheme and host carry the information; the usual "/announce" path only costs width. Unparsable URLs show as given. */
function TrackerUrl ({ url }: { url: string }) {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return <span className="mono">{url}</span>
  }
  const path = parsed.pathname === '/announce' || parsed.pathname === '/' ? '' : parsed.pathname
  return (
    <>
      <span className="net-scheme">{parsed.protocol.slice(0, -1)}</span>
      <span className="mono">{parsed.host}{path}</span>
    </>
  )
}

function TrackerState ({ tracker }: { tracker: TrackerStatus }) {
  if (tracker.lastError !== null) {
    return <span className="net-state net-state--error"><Icon name="alert" size={14} /><span>{tracker.lastError}</span></span>
  }
  if (tracker.lastAnnounceAt === null) return <span className="net-state net-state--idle">Waiting for an answer</span>
  return <span className="net-state net-state--good"><Icon name="check" size={14} /><span>Working</span></span>
}

/** `now` is when the status was taken, so relative times agree with the data they describe. */
export function TrackerTable ({ trackers, now }: { trackers: readonly TrackerStatus[]; now: number }) {
  if (trackers.length === 0) {
    return <p className="net-empty">This channel has no trackers: only the DHT and LAN discovery can find its peers.</p>
  }
  return (
    <div className="net-table-wrap">
      <table className="net-table net-table--trackers">
        <thead>
          <tr><th scope="col">Tracker</th><th scope="col">Last announce</th><th scope="col">Next</th><th scope="col" className="num">Peers</th><th scope="col">Status</th></tr>
        </thead>
        <tbody>
          {trackers.map(t => (
            <tr key={t.url} data-testid="tracker-row" className={t.lastError !== null ? 'net-table__row--error' : undefined}>
              <td className="truncate" title={t.url}><TrackerUrl url={t.url} /></td>
              <td><When at={t.lastAnnounceAt} now={now} none="Never" /></td>
              <td><When at={t.nextAnnounceAt} now={now} none="—" /></td>
              <td className="num">{t.peersReturned}</td>
              <td><TrackerState tracker={t} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
