import type { CSSProperties } from 'react'
import { hueOf, initialsOf } from '../lib/avatar-color.ts'

export function Avatar ({ name, publicKey, size = 'md' }: { name: string; publicKey: string; size?: 'xs' | 'sm' | 'md' | 'lg' }) {
  // A custom property set through the CSSOM, which the CSP allows (inline style attributes it would not).
  const style = { '--avatar-hue': hueOf(publicKey) } as CSSProperties
  return <span className={`avatar avatar--${size}`} style={style} aria-hidden="true">{initialsOf(name)}</span>
}
