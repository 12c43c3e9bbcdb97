import assert from 'node:assert/strict'
import { test } from 'node:test'
import { describeProxy, parseProxyUrl } from '../../core/transport/proxy-url.ts'

test('proxy addresses people write are read as the proxy they mean', () => {
  const table: Array<[string, object]> = [
    ['socks5://127.0.0.1:9050', { kind: 'socks5', host: '127.0.0.1', port: 9050 }],
    ['socks5h://Proxy.Example.org:1080', { kind: 'socks5', host: 'proxy.example.org', port: 1080 }],
    ['http://proxy.lan:3128', { kind: 'http', host: 'proxy.lan', port: 3128 }],
    ['HTTP://proxy.lan:3128/', { kind: 'http', host: 'proxy.lan', port: 3128 }],
    ['  http://[::1]:8080 ', { kind: 'http', host: '::1', port: 8080 }],
    ['socks5://alice:s%40cret@10.0.0.1:1080', { kind: 'socks5', host: '10.0.0.1', port: 1080, username: 'alice', password: 's@cret' }],
    ['socks5://isolate-me@127.0.0.1:9050', { kind: 'socks5', host: '127.0.0.1', port: 9050, username: 'isolate-me' }]
  ]
  for (const [text, proxy] of table) assert.deepEqual(parseProxyUrl(text), { ok: true, proxy }, text)
})

test('anything else is refused with the reason in words', () => {
  const table: Array<[string, RegExp]> = [
    ['', /written http:\/\/HOST:PORT or socks5:\/\/HOST:PORT/],
    ['127.0.0.1:9050', /written/],
    ['https://proxy:443', /written/],
    ['socks4://proxy:1080', /written/],
    ['socks5://proxy', /written/],
    ['socks5://proxy:1080/path', /written/],
    ['socks5://proxy:0', /port is 1 to 65535/],
    ['socks5://proxy:65536', /port is 1 to 65535/],
    ['socks5://bad_host:1080', /not a host name/],
    ['socks5://999.1.1.1:1080', /not a host name/],
    ['socks5://:pw@proxy:1080', /password needs a user name/],
    ['socks5://@proxy:1080', /user name cannot be empty/],
    ['http://a%3Ab:pw@proxy:3128', /user name cannot contain a colon/],
    ['socks5://a%zz@proxy:1080', /not percent-encoded/],
    [`socks5://${'u'.repeat(256)}@proxy:1080`, /at most 255 bytes/],
    [`socks5://proxy.${'a'.repeat(1100)}:1080`, /at most 1024 bytes/]
  ]
  for (const [text, problem] of table) {
    const parsed = parseProxyUrl(text)
    assert.equal(parsed.ok, false, text)
    if (!parsed.ok) assert.match(parsed.problem, problem, text)
  }
})

test('a proxy is shown without its password', () => {
  assert.equal(describeProxy({ kind: 'socks5', host: '::1', port: 9050, username: 'a b', password: 'secret' }), 'socks5://a%20b@[::1]:9050')
  assert.equal(describeProxy({ kind: 'http', host: 'proxy.lan', port: 3128 }), 'http://proxy.lan:3128')
})
