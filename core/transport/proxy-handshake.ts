// Asking a proxy for a tunnel, without I/O: an HTTP CONNECT (RFC 9110 §9.3.6) or a SOCKS5 CONNECT
// (RFC 1928, with RFC 1929's user name and password when configured). Bytes in, bytes out: the
// transport writes `start()` and whatever `receive()` returns, until it says the tunnel is open.
// The peer's host always goes to the proxy as a name, so the proxy resolves it (no DNS leak).
import { concatBytes } from '../codec/bytes.ts'
import type { ProxyConfig } from './proxy-url.ts'

/** A proxy's answer refused the tunnel or broke the protocol; the message says which, in words. */
export class ProxyError extends Error {
  override readonly name = 'ProxyError'
}

export type ProxyStep = { kind: 'send'; bytes: Uint8Array } | { kind: 'wait' } | { kind: 'open'; leftover: Uint8Array }

export interface ProxyHandshake {
  start (): Uint8Array
  receive (chunk: Uint8Array): ProxyStep
}

export function proxyHandshake (proxy: ProxyConfig, target: { host: string; port: number }): ProxyHandshake {
  return proxy.kind === 'http' ? new HttpConnect(proxy, target) : new Socks5Connect(proxy, target)
}

/** The most of an HTTP proxy's answer read before its blank line: real ones send a few hundred bytes. */
export const MAX_HTTP_PROXY_HEAD_BYTES = 16 * 1024

const HEAD_END = new Uint8Array([13, 10, 13, 10])

class HttpConnect implements ProxyHandshake {
  readonly #proxy: ProxyConfig
  readonly #authority: string
  #head: Uint8Array = new Uint8Array(0)

  constructor (proxy: ProxyConfig, target: { host: string; port: number }) {
    this.#proxy = proxy
    this.#authority = `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`
  }

  start (): Uint8Array {
    const lines = [`CONNECT ${this.#authority} HTTP/1.1`, `Host: ${this.#authority}`]
    if (this.#proxy.username !== undefined) {
      const login = Buffer.from(`${this.#proxy.username}:${this.#proxy.password ?? ''}`, 'utf8').toString('base64')
      lines.push(`Proxy-Authorization: Basic ${login}`)
    }
    return new TextEncoder().encode(lines.join('\r\n') + '\r\n\r\n')
  }

  receive (chunk: Uint8Array): ProxyStep {
    const head = concatBytes([this.#head, chunk])
    const end = indexOf(head, HEAD_END)
    if (end === -1) {
      if (head.length > MAX_HTTP_PROXY_HEAD_BYTES) throw new ProxyError(`the HTTP proxy's answer had no end in ${MAX_HTTP_PROXY_HEAD_BYTES} bytes`)
      this.#head = head
      return { kind: 'wait' }
    }
    if (end > MAX_HTTP_PROXY_HEAD_BYTES) throw new ProxyError(`the HTTP proxy's answer had no end in ${MAX_HTTP_PROXY_HEAD_BYTES} bytes`)
    const statusLine = new TextDecoder().decode(head.subarray(0, indexOf(head, HEAD_END.subarray(0, 2))))
    const status = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine)
    if (status === null) throw new ProxyError(`the HTTP proxy did not answer in HTTP: ${JSON.stringify(statusLine.slice(0, 80))}`)
    const code = Number(status[1])
    if (code === 407) throw new ProxyError('the HTTP proxy wants a user name and password (407)')
    if (code < 200 || code > 299) throw new ProxyError(`the HTTP proxy refused the connection: ${code} ${(status[2] ?? '').slice(0, 80)}`.trim())
    return { kind: 'open', leftover: head.slice(end + HEAD_END.length) }
  }
}

const SOCKS_VERSION = 5
const NO_AUTH = 0
const USER_PASS = 2
/** RFC 1929's version of the login exchange. */
const LOGIN_VERSION = 1
const NO_ACCEPTABLE = 0xff
const CONNECT = 1
const ATYP_IPV4 = 1
const ATYP_NAME = 3
const ATYP_IPV6 = 4

/** RFC 1928's reply codes, in words. */
const SOCKS_REPLIES: Record<number, string> = {
  1: 'the SOCKS5 proxy failed',
  2: 'the SOCKS5 proxy does not allow this connection',
  3: 'the network is unreachable from the SOCKS5 proxy',
  4: 'the host is unreachable from the SOCKS5 proxy',
  5: 'the peer refused the connection made by the SOCKS5 proxy',
  6: 'the connection made by the SOCKS5 proxy timed out',
  7: 'the SOCKS5 proxy does not support CONNECT',
  8: 'the SOCKS5 proxy does not support this kind of address'
}

type SocksState = 'method' | 'login' | 'reply' | 'open'

class Socks5Connect implements ProxyHandshake {
  readonly #proxy: ProxyConfig
  readonly #target: { host: string; port: number }
  #state: SocksState = 'method'
  #buffered: Uint8Array = new Uint8Array(0)

  constructor (proxy: ProxyConfig, target: { host: string; port: number }) {
    this.#proxy = proxy
    this.#target = target
    if (new TextEncoder().encode(target.host).length > 255) throw new ProxyError('a host name for a SOCKS5 proxy is at most 255 bytes')
  }

  start (): Uint8Array {
    return this.#proxy.username === undefined ? new Uint8Array([SOCKS_VERSION, 1, NO_AUTH]) : new Uint8Array([SOCKS_VERSION, 2, NO_AUTH, USER_PASS])
  }

  receive (chunk: Uint8Array): ProxyStep {
    this.#buffered = concatBytes([this.#buffered, chunk])
    const out: Uint8Array[] = []
    for (;;) {
      const step = this.#step()
      if (step === null) break
      if (step.kind === 'open') {
        if (out.length > 0) throw new ProxyError('the SOCKS5 proxy answered out of turn')
        return step
      }
      if (step.kind === 'send') out.push(step.bytes)
    }
    if (out.length === 0) return { kind: 'wait' }
    return { kind: 'send', bytes: concatBytes(out) }
  }

  /** One answer taken from the buffer, or null when the next is not all there yet. */
  #step (): ProxyStep | null {
    const b = this.#buffered
    switch (this.#state) {
      case 'method': {
        if (b.length < 2) return null
        if (b[0] !== SOCKS_VERSION) throw new ProxyError('the proxy did not answer in SOCKS5')
        this.#take(2)
        if (b[1] === NO_AUTH) return this.#request()
        if (b[1] === USER_PASS && this.#proxy.username !== undefined) {
          this.#state = 'login'
          const user = new TextEncoder().encode(this.#proxy.username)
          const pass = new TextEncoder().encode(this.#proxy.password ?? '')
          return { kind: 'send', bytes: Uint8Array.from([1, user.length, ...user, pass.length, ...pass]) }
        }
        if (b[1] === USER_PASS || b[1] === NO_ACCEPTABLE) throw new ProxyError('the SOCKS5 proxy wants a user name and password')
        throw new ProxyError(`the SOCKS5 proxy chose a login method we did not offer (${b[1]})`)
      }
      case 'login': {
        if (b.length < 2) return null
        this.#take(2)
        if (b[0] !== LOGIN_VERSION) throw new ProxyError('the SOCKS5 proxy answered the login in another protocol')
        if (b[1] !== 0) throw new ProxyError('the SOCKS5 proxy refused the user name and password')
        return this.#request()
      }
      case 'reply': {
        if (b.length < 5) return null
        if (b[0] !== SOCKS_VERSION) throw new ProxyError('the proxy did not answer in SOCKS5')
        if (b[1] !== 0) throw new ProxyError(SOCKS_REPLIES[b[1]!] ?? `the SOCKS5 proxy refused the connection (code ${b[1]})`)
        const addressBytes = b[3] === ATYP_IPV4 ? 4 : b[3] === ATYP_IPV6 ? 16 : b[3] === ATYP_NAME ? 1 + b[4]! : -1
        if (addressBytes === -1) throw new ProxyError(`the SOCKS5 proxy answered with an unknown address type (${b[3]})`)
        const length = 4 + addressBytes + 2
        if (b.length < length) return null
        this.#take(length)
        this.#state = 'open'
        return { kind: 'open', leftover: this.#buffered.slice() }
      }
      case 'open':
        return null
    }
  }

  #request (): ProxyStep {
    this.#state = 'reply'
    const port = [this.#target.port >> 8, this.#target.port & 0xff]
    // An IPv4 address goes as one (a proxy that resolves no names takes it); anything else as a name.
    const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(this.#target.host)
    if (ipv4 !== null && ipv4.slice(1).every(n => Number(n) <= 255)) {
      return { kind: 'send', bytes: Uint8Array.from([SOCKS_VERSION, CONNECT, 0, ATYP_IPV4, ...ipv4.slice(1).map(Number), ...port]) }
    }
    const name = new TextEncoder().encode(this.#target.host)
    return { kind: 'send', bytes: Uint8Array.from([SOCKS_VERSION, CONNECT, 0, ATYP_NAME, name.length, ...name, ...port]) }
  }

  #take (n: number): void {
    this.#buffered = this.#buffered.subarray(n)
  }
}

function indexOf (haystack: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(needle)
}
