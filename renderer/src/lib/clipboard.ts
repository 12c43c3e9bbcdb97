/** Copies text, falling back to a hidden textarea where the async clipboard is unavailable or refused. */
export async function copyText (text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text)
    return
  } catch {
    // Insecure origins, denied permission or no Clipboard API: try the legacy path below.
  }
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.className = 'visually-hidden'
  document.body.append(area)
  area.select()
  const copied = document.execCommand('copy')
  area.remove()
  if (!copied) throw new Error('the clipboard is not available')
}
