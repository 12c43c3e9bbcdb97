// The proxy the user set (setting `proxy`, the URL as given, login included): every dial and tracker
// announce goes through it, and the node's UDP (DHT, LAN) sleeps while it is set.
import type { Logger } from '../log.ts'
import type { Store } from '../store/store.ts'
import { proxyTransport } from '../transport/proxy.ts'
import { describeProxy, parseProxyUrl, type ProxyConfig } from '../transport/proxy-url.ts'
import type { Transport } from '../transport/raw-stream.ts'
import { tcpTransport } from '../transport/tcp.ts'

const KEY = 'proxy'

export class ProxySetting {
  readonly #store: Store
  #proxy: ProxyConfig | null = null
  #transport: Transport = tcpTransport

  constructor (store: Store, log: Logger) {
    this.#store = store
    const stored = store.getSetting(KEY)
    if (stored === undefined || stored === '') return
    const parsed = parseProxyUrl(stored)
    // Only a damaged database holds one the API would have refused.
    if (parsed.ok) this.#use(parsed.proxy)
    else log.error('the stored proxy setting is unreadable and is not used', { problem: parsed.problem })
  }

  get current (): ProxyConfig | null { return this.#proxy }

  /** The URL as set, login included (the settings form edits it), or null. */
  get url (): string | null { return this.#proxy === null ? null : this.#store.getSetting(KEY) ?? null }

  /** What the network status shows: the URL without its password. */
  get shown (): string | null { return this.#proxy === null ? null : describeProxy(this.#proxy) }

  /** How dials reach a TCP address now. */
  get transport (): Transport { return this.#transport }

  /** Sets (a URL the API's checks let through) or clears (null); true when it changed. */
  set (url: string | null): boolean {
    const next = url === null || url.trim() === '' ? null : parseProxyUrl(url)
    if (next !== null && !next.ok) throw new RangeError(next.problem)
    const before = this.#store.getSetting(KEY) ?? ''
    const after = next === null ? '' : url!.trim()
    this.#store.setSetting(KEY, after)
    if (next === null) {
      this.#proxy = null
      this.#transport = tcpTransport
    } else {
      this.#use(next.proxy)
    }
    return before !== after
  }

  #use (proxy: ProxyConfig): void {
    this.#proxy = proxy
    this.#transport = proxyTransport(proxy)
  }
}
