import assert from 'node:assert/strict'
import { test } from 'node:test'
import { MAX_HTTP_PROXY_HEAD_BYTES, proxyHandshake, ProxyError, type ProxyHandshake, type ProxyStep } from '../../core/transport/proxy-handshake.ts'

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text)
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes)
const target = { host: 'peer.example.org', port: 6881 }

/** Feeds `answer` one byte at a time (a proxy may split its answer anywhere) and returns every step that was not a wait. */
function byteByByte (h: ProxyHandshake, answer: Uint8Array): ProxyStep[] {
  const steps: ProxyStep[] = []
  for (const byte of answer) {
    const step = h.receive(Uint8Array.of(byte))
    if (step.kind !== 'wait') steps.push(step)
  }
  return steps
}

test('HTTP CONNECT names the peer by host and port and opens on a 2xx, keeping bytes after the head', () => {
  const h = proxyHandshake({ kind: 'http', host: 'proxy', port: 3128 }, target)
  assert.equal(text(h.start()), 'CONNECT peer.example.org:6881 HTTP/1.1\r\nHost: peer.example.org:6881\r\n\r\n')
  assert.deepEqual(h.receive(ascii('HTTP/1.1 200 Connection established\r\nProxy-agent: x\r\n')), { kind: 'wait' })
  assert.deepEqual(h.receive(ascii('\r\nfirst bytes')), { kind: 'open', leftover: ascii('first bytes') })

  const split = proxyHandshake({ kind: 'http', host: 'proxy', port: 3128 }, { host: '::1', port: 1 })
  assert.match(text(split.start()), /^CONNECT \[::1\]:1 HTTP\/1\.1\r\n/)
  assert.deepEqual(byteByByte(split, ascii('HTTP/1.0 200 OK\r\n\r\n')), [{ kind: 'open', leftover: new Uint8Array(0) }])
})

test('HTTP CONNECT sends a Basic login when one is set', () => {
  const h = proxyHandshake({ kind: 'http', host: 'proxy', port: 3128, username: 'alice', password: 'pw' }, target)
  assert.match(text(h.start()), /\r\nProxy-Authorization: Basic YWxpY2U6cHc=\r\n\r\n$/)
})

test('HTTP proxies that refuse, ask for a login, speak something else or never end their head are errors in words', () => {
  const table: Array<[string, RegExp]> = [
    ['HTTP/1.1 403 Forbidden\r\n\r\n', /refused the connection: 403 Forbidden/],
    ['HTTP/1.1 407 Proxy Authentication Required\r\n\r\n', /wants a user name and password/],
    ['SSH-2.0-OpenSSH\r\n\r\n', /did not answer in HTTP/],
    ['HTTP/1.1 502\r\n\r\n', /refused the connection: 502$/]
  ]
  for (const [answer, problem] of table) {
    const h = proxyHandshake({ kind: 'http', host: 'proxy', port: 3128 }, target)
    assert.throws(() => h.receive(ascii(answer)), (err: unknown) => err instanceof ProxyError && problem.test(err.message), answer)
  }
  const endless = proxyHandshake({ kind: 'http', host: 'proxy', port: 3128 }, target)
  assert.equal(endless.receive(ascii('HTTP/1.1 200 OK\r\nX: ' + 'y'.repeat(MAX_HTTP_PROXY_HEAD_BYTES - 100))).kind, 'wait')
  assert.throws(() => endless.receive(ascii('y'.repeat(200))), /no end in 16384 bytes/)
})

test('SOCKS5 without a login: greeting, CONNECT by name, open after the reply with its bound address', () => {
  const h = proxyHandshake({ kind: 'socks5', host: 'proxy', port: 1080 }, target)
  assert.deepEqual(h.start(), Uint8Array.of(5, 1, 0))
  const request = h.receive(Uint8Array.of(5, 0))
  assert.deepEqual(request, { kind: 'send', bytes: Uint8Array.of(5, 1, 0, 3, 16, ...ascii('peer.example.org'), 0x1a, 0xe1) })
  // Replies carry an IPv4, IPv6 or name as the bound address: each is skipped whole.
  for (const bound of [[1, 10, 0, 0, 1], [4, ...new Array<number>(16).fill(0)], [3, 3, ...ascii('abc')]]) {
    const again = proxyHandshake({ kind: 'socks5', host: 'proxy', port: 1080 }, target)
    again.start()
    again.receive(Uint8Array.of(5, 0))
    assert.deepEqual(byteByByte(again, Uint8Array.of(5, 0, 0, ...bound, 0x04, 0x38)), [{ kind: 'open', leftover: new Uint8Array(0) }])
  }
})

test('SOCKS5 asks for an IPv4 address as an address, anything else as a name', () => {
  const byAddress = proxyHandshake({ kind: 'socks5', host: 'proxy', port: 1080 }, { host: '192.0.2.7', port: 80 })
  byAddress.start()
  assert.deepEqual(byAddress.receive(Uint8Array.of(5, 0)), { kind: 'send', bytes: Uint8Array.of(5, 1, 0, 1, 192, 0, 2, 7, 0, 80) })
  const notAnAddress = proxyHandshake({ kind: 'socks5', host: 'proxy', port: 1080 }, { host: '999.0.2.7', port: 80 })
  notAnAddress.start()
  assert.deepEqual(notAnAddress.receive(Uint8Array.of(5, 0)), { kind: 'send', bytes: Uint8Array.of(5, 1, 0, 3, 9, ...ascii('999.0.2.7'), 0, 80) })
})

test('SOCKS5 with a login: offers both methods and sends RFC 1929 credentials when asked', () => {
  const h = proxyHandshake({ kind: 'socks5', host: 'proxy', port: 1080, username: 'alice', password: 'pw' }, target)
  assert.deepEqual(h.start(), Uint8Array.of(5, 2, 0, 2))
  assert.deepEqual(h.receive(Uint8Array.of(5, 2)), { kind: 'send', bytes: Uint8Array.of(1, 5, ...ascii('alice'), 2, ...ascii('pw')) })
  assert.equal(h.receive(Uint8Array.of(1, 0)).kind, 'send')
  assert.deepEqual(h.receive(Uint8Array.of(5, 0, 0, 1, 1, 2, 3, 4, 0, 80, 0xaa)), { kind: 'open', leftover: Uint8Array.of(0xaa) }, 'what came after the reply is from the peer')
})

test('SOCKS5 refusals and protocol breaks are errors in words', () => {
  const fresh = (login = false): ProxyHandshake => {
    const h = proxyHandshake({ kind: 'socks5', host: 'proxy', port: 1080, ...(login ? { username: 'u', password: 'p' } : {}) }, target)
    h.start()
    return h
  }
  assert.throws(() => fresh().receive(Uint8Array.of(4, 0)), /did not answer in SOCKS5/)
  assert.throws(() => fresh().receive(Uint8Array.of(5, 0xff)), /wants a user name and password/)
  assert.throws(() => fresh().receive(Uint8Array.of(5, 2)), /wants a user name and password/)
  assert.throws(() => fresh().receive(Uint8Array.of(5, 9)), /login method we did not offer/)
  const login = fresh(true)
  login.receive(Uint8Array.of(5, 2))
  assert.throws(() => login.receive(Uint8Array.of(1, 1)), /refused the user name and password/)
  const oddLogin = fresh(true)
  oddLogin.receive(Uint8Array.of(5, 2))
  assert.throws(() => oddLogin.receive(Uint8Array.of(5, 0)), /answered the login in another protocol/)
  for (const [code, words] of [[2, /does not allow/], [5, /refused the connection made/], [8, /kind of address/], [42, /code 42/]] as const) {
    const h = fresh()
    h.receive(Uint8Array.of(5, 0))
    assert.throws(() => h.receive(Uint8Array.of(5, code, 0, 1, 0, 0, 0, 0, 0, 0)), words)
  }
  const h = fresh()
  h.receive(Uint8Array.of(5, 0))
  assert.throws(() => h.receive(Uint8Array.of(5, 0, 0, 9, 0)), /unknown address type/)
  assert.throws(() => fresh().receive(Uint8Array.of(5, 0, 5, 0, 0, 1, 0, 0, 0, 0, 0, 0)), /out of turn/)
  assert.throws(() => proxyHandshake({ kind: 'socks5', host: 'proxy', port: 1080 }, { host: 'a'.repeat(256), port: 1 }), /at most 255 bytes/)
})
