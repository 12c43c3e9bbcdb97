import { useId, type ReactNode } from 'react'

export interface ControlProps {
  id: string
  'aria-describedby'?: string
  'aria-invalid'?: true
}

/** A labelled control with its hint and error tied to it for screen readers. */
export function Field ({ label, hint, error, children }: {
  label: string
  hint?: ReactNode
  error?: string | undefined
  children: (props: ControlProps) => ReactNode
}) {
  const id = useId()
  const hintId = `${id}-hint`
  const errorId = `${id}-error`
  const describedBy = [hint !== undefined ? hintId : '', error !== undefined ? errorId : ''].filter(Boolean).join(' ')
  const props: ControlProps = { id }
  if (describedBy !== '') props['aria-describedby'] = describedBy
  if (error !== undefined) props['aria-invalid'] = true
  return (
    <div className={`field${error !== undefined ? ' field--invalid' : ''}`}>
      <label className="field__label" htmlFor={id}>{label}</label>
      {children(props)}
      {hint !== undefined && <p className="field__hint" id={hintId}>{hint}</p>}
      {error !== undefined && <p className="field__error" id={errorId} role="alert">{error}</p>}
    </div>
  )
}
