/** Offers bytes as a download under `fileName` (Electron shows its save dialog, browsers save). */
export function saveBytes (fileName: string, bytes: Uint8Array<ArrayBuffer>, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.rel = 'noopener'
  document.body.append(link)
  link.click()
  link.remove()
  // Revoking at once can cancel the download in some browsers.
  setTimeout(() => { URL.revokeObjectURL(url) }, 10_000)
}
