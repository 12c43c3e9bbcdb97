/** A stable hue per public key so the same person keeps the same colour everywhere. */
export function hueOf (publicKey: string): number {
  // FNV-1a: cheap, and unlike a plain polynomial hash it spreads similar keys across the wheel.
  let hash = 0x811c9dc5
  for (let i = 0; i < publicKey.length; i++) hash = Math.imul(hash ^ publicKey.charCodeAt(i), 0x01000193)
  return (hash >>> 0) % 360
}

export function initialsOf (name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean)
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : [words[0] ?? '?']
  return letters.map(w => Array.from(w ?? '?')[0] ?? '?').join('').toUpperCase()
}
