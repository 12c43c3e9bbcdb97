import { test } from 'node:test'
import assert from 'node:assert/strict'
import { MAX_TRACKER_URL_BYTES, trackerUrlProblem } from '../../core/channel/tracker-url.ts'

const VALID = [
  'udp://tracker.opentrackr.org:1337/announce',
  'udp://127.0.0.1:9',
  'udp://[::1]:6969',
  'udp://[2001:db8::1]:1',
  'udp://[::ffff:10.0.0.1]:65535',
  'http://t.example/announce',
  'https://t.example:443/announce?passkey=abc&x=1',
  'HTTP://T.Example:8080',
  'http://[::]:80/a',
  'http://[1:2:3:4:5:6:7:8]/',
  'http://[1:2:3:4:5:6:1.2.3.4]/',
  'ws://w.example',
  'wss://w-1.example:8443/ws',
  'http://localhost:8000/announce',
  'http://xn--bcher-kva.example/'
]

// Each with the words its refusal must contain, so the person reading it knows what to fix.
const INVALID: Array<[string, RegExp]> = [
  ['udp://127.0.0.1:0', /"udp:\/\/127\.0\.0\.1:0" has port "0": a port is 1 to 65535/],
  ['udp://host.example:0', /port "0"/],
  ['http://host.example:65536/a', /port "65536"/],
  ['http://host.example:/a', /port ""/],
  ['http://host.example:-1/a', /port "-1"/],
  ['http://host.example:8o/a', /port "8o"/],
  ['udp://627.0.0.1:9', /"udp:\/\/627\.0\.0\.1:9" has an invalid host "627\.0\.0\.1"/],
  ['udp://1.2.3:9', /invalid host/],
  ['udp://01.2.3.4:9', /invalid host/],
  ['http://0x7f.1/', /invalid host/],
  ['udp://[::1::2]:9', /invalid host/],
  ['udp://[1:2:3:4:5:6:7]:9', /invalid host/],
  ['udp://[fe80::1%25eth0]:9', /invalid host/],
  ['udp://[::1]x:9', /malformed host or port/],
  ['udp://a:b:9', /malformed host or port/],
  ['http://-bad.example/', /invalid host/],
  ['http://bad-.example/', /invalid host/],
  ['http://under_score.example/', /invalid host/],
  ['http://trailing.dot./', /invalid host/],
  [`http://${'a'.repeat(64)}.example/`, /invalid host/],
  ['udp://tracker.example', /has no port: a udp:\/\/ tracker needs one/],
  ['udp://tracker.example/announce', /has no port/],
  ['udp://:9', /has no host/],
  ['http://', /has no host/],
  ['http:///announce', /has no host/],
  ['http://user:pw@t.example/', /user name or password/],
  ['ftp://t.example/', /is not a udp:\/\/, http\(s\):\/\/ or ws\(s\):\/\/ URL/],
  ['udp:t.example:9', /is not a udp:/],
  ['t.example:9', /is not a udp:/],
  ['', /empty/],
  ['udp://t.example:9/a b', /spaces/],
  [' udp://t.example:9', /spaces/],
  ['udp://tä.example:9', /printable ASCII/],
  ['http://t.example#x', /malformed path/]
]

test('accepts udp, http(s) and ws(s) trackers with a host name or IP literal and a valid port', () => {
  for (const url of VALID) assert.equal(trackerUrlProblem(url), null, url)
})

test('refuses each malformed tracker URL with words naming it and what is wrong', () => {
  for (const [url, words] of INVALID) {
    const problem = trackerUrlProblem(url)
    assert.ok(problem !== null, `accepted ${JSON.stringify(url)}`)
    assert.match(problem, words, url)
  }
})

test('bounds the length at 512 bytes', () => {
  const base = 'http://t.example/'
  assert.equal(trackerUrlProblem(base + 'a'.repeat(MAX_TRACKER_URL_BYTES - base.length)), null)
  assert.match(trackerUrlProblem(base + 'a'.repeat(MAX_TRACKER_URL_BYTES - base.length + 1)) ?? '', /longer than 512 bytes/)
})

test('shows at most 80 characters of a long URL it refuses', () => {
  const problem = trackerUrlProblem(`udp://${'a'.repeat(300)}.example:0`) ?? ''
  assert.ok(problem.length < 200, problem)
})
