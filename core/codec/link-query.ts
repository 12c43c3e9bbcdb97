// The `key=value&…` part of a `bitchat:` link, percent-decoded. Links come from strangers: any
// malformed pair is an error naming it (cut short, so a huge key does not make a huge message).
export function parseLinkQuery (query: string, invalid: (problem: string) => Error): Array<[string, string]> {
  return query.split('&').map(part => {
    const eq = part.indexOf('=')
    if (eq <= 0) throw invalid(`${JSON.stringify(part.slice(0, 16))} is not key=value`)
    const key = part.slice(0, eq)
    try {
      return [key, decodeURIComponent(part.slice(eq + 1))]
    } catch {
      throw invalid(`${JSON.stringify(key.slice(0, 16))} has bad percent-encoding or is not UTF-8`)
    }
  })
}

export function toLinkQuery (pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&')
}
