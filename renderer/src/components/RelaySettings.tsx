import type { RelayLimitsInfo, Settings } from '../../../core/api/contract.ts'
import { SettingSwitch } from './SettingSwitch.tsx'

function rate (bytesPerSecond: number): string {
  return bytesPerSecond >= 1024 * 1024 ? `${Math.round(bytesPerSecond / (1024 * 1024))} MB/s` : `${Math.round(bytesPerSecond / 1024)} KB/s`
}

function duration (ms: number): string {
  const minutes = Math.round(ms / 60_000)
  return minutes % 60 === 0 ? `${minutes / 60} hour${minutes === 60 ? '' : 's'}` : `${minutes} minutes`
}

/** The bounds the core keeps, in words: what saying yes can cost. */
export function relayLimitsText (limits: RelayLimitsInfo): string {
  return `At most ${limits.circuits} connections at once (${limits.circuitsPerPeer} per person), ${rate(limits.bytesPerSecond)} in all and ${rate(limits.bytesPerSecondPerCircuit)} each, each for up to ${duration(limits.lifetimeMs)}.`
}

/** "Allow relaying for others": members who cannot reach each other directly may connect through us. */
export function RelaySettings ({ settings }: { settings: Settings }) {
  return (
    <section className="settings-section" aria-labelledby="settings-relaying">
      <h3 className="settings-section__title" id="settings-relaying">Relaying</h3>
      <SettingSwitch label="Allow relaying for others" checked={settings.relayForOthers !== false} patch={relayForOthers => ({ relayForOthers })}
        hint={<>
          Members who can’t connect to each other directly can connect through you. Their messages stay end-to-end encrypted: you pass them on without being able to read or change them.
          {settings.relayLimits !== undefined && <> {relayLimitsText(settings.relayLimits)}</>}
        </>} />
    </section>
  )
}
