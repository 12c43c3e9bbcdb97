import { useMemo } from 'react'
import { renderSVG } from 'uqr'

/**
 * `text` as a QR image, drawn here (no network), dark on light whatever the theme so any camera
 * reads it. A data: URL, which the page's Content-Security-Policy allows for images.
 */
export function QrCode ({ text, label, size = 176 }: { text: string; label: string; size?: number }) {
  const src = useMemo(() => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(renderSVG(text, { border: 2, ecc: 'M' }))}`, [text])
  return <img className="qr-code" src={src} alt={label} width={size} height={size} data-testid="qr-code" />
}
