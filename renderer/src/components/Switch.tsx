/** An on/off switch with its label; `busy` keeps it from changing while a change is under way. */
export function Switch ({ label, checked, busy = false, describedBy, onChange }: {
  label: string
  checked: boolean
  busy?: boolean
  describedBy?: string
  onChange: (on: boolean) => void
}) {
  return (
    <label className="switch">
      <input type="checkbox" role="switch" className="switch__input" checked={checked} aria-describedby={describedBy}
        aria-disabled={busy || undefined} onChange={e => { if (!busy) onChange(e.target.checked) }} />
      <span className="switch__track" aria-hidden="true"><span className="switch__thumb" /></span>
      <span className="switch__label">{label}</span>
    </label>
  )
}
