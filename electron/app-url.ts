// Which page is ours: the bundled renderer's index.html, loaded from disk. Anything else
// (another file, a remote page, a frame) gets no access to the API.
import { pathToFileURL } from 'node:url'

export function appUrlMatcher (indexFile: string): (url: string) => boolean {
  const expected = pathToFileURL(indexFile)
  return url => {
    let actual: URL
    try {
      actual = new URL(url)
    } catch {
      return false
    }
    return actual.protocol === 'file:' && actual.host === expected.host && actual.pathname === expected.pathname
  }
}
