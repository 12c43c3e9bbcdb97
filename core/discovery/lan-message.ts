// The BT-SEARCH datagram of BitTorrent Local Service Discovery (BEP 14), as libtorrent and
// qBittorrent send it, so BitChat's announces look like any torrent client's on the LAN.
import { isPort } from '../wire/address.ts'

export const LSD_PORT = 6771
export const LSD_IPV4_GROUP = '239.192.152.143'
export const LSD_IPV6_GROUP = 'ff15::efc0:988f'
/** Fits one unfragmented packet on any LAN; nobody sends more. */
export const MAX_LSD_DATAGRAM = 1400
const MAX_LSD_INFOHASHES = 16
const MAX_COOKIE_LENGTH = 64

const REQUEST_LINE = 'BT-SEARCH * HTTP/1.1'
const HEADER = /^([A-Za-z0-9-]{1,64}):[ ]*([\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?[ ]*$/
const PORT = /^[1-9]\d{0,4}$/
const INFOHASH = /^[0-9a-fA-F]{40}$/
const COOKIE = new RegExp(`^[\\x21-\\x7e]{1,${MAX_COOKIE_LENGTH}}$`)
// Printable ASCII and CR LF only: anything else is not a BT-SEARCH datagram.
const PRINTABLE = /^[\x20-\x7e\r\n]*$/

export interface LsdAnnounce {
  /** The sender's TCP listen port. */
  port: number
  /** Lowercase hex, 1..16 of them, no duplicates. */
  infohashes: string[]
  /** Tells a sender its own announces apart when multicast loops them back. */
  cookie: string | null
}

/** `host` is the Host header: the multicast group and port the datagram is sent to, e.g. `239.192.152.143:6771`. */
export function encodeLsdAnnounce (host: string, announce: LsdAnnounce): Buffer {
  const { port, infohashes, cookie } = announce
  if (!isPort(port)) throw new RangeError(`port must be 1..65535, got ${port}`)
  if (infohashes.length < 1 || infohashes.length > MAX_LSD_INFOHASHES) throw new RangeError(`1..${MAX_LSD_INFOHASHES} infohashes, got ${infohashes.length}`)
  if (!infohashes.every(h => INFOHASH.test(h))) throw new RangeError('an infohash must be 40 hex characters')
  if (cookie !== null && !COOKIE.test(cookie)) throw new RangeError(`a cookie is 1..${MAX_COOKIE_LENGTH} printable ASCII characters without spaces`)
  if (!/^[\x21-\x7e]{1,64}$/.test(host)) throw new RangeError('the Host header must be printable ASCII without spaces')
  const lines = [REQUEST_LINE, `Host: ${host}`, `Port: ${port}`, ...infohashes.map(h => `Infohash: ${h.toLowerCase()}`)]
  if (cookie !== null) lines.push(`cookie: ${cookie}`)
  // BEP 14 ends the header block with an empty line and then one more CRLF.
  const datagram = Buffer.from(lines.join('\r\n') + '\r\n\r\n\r\n', 'latin1')
  if (datagram.length > MAX_LSD_DATAGRAM) throw new RangeError(`the announce is ${datagram.length} bytes, more than ${MAX_LSD_DATAGRAM}`)
  return datagram
}

/**
 * Parses a received datagram; throws a RangeError saying what is wrong with anything but a
 * well-formed BT-SEARCH. Header names are case-insensitive; unknown headers are ignored.
 */
export function parseLsdAnnounce (datagram: Uint8Array): LsdAnnounce {
  if (datagram.length > MAX_LSD_DATAGRAM) throw new RangeError(`datagram of ${datagram.length} bytes, more than ${MAX_LSD_DATAGRAM}`)
  const text = Buffer.from(datagram.buffer, datagram.byteOffset, datagram.byteLength).toString('latin1')
  if (!PRINTABLE.test(text)) throw new RangeError('datagram holds bytes other than printable ASCII and CR LF')
  const end = text.indexOf('\r\n\r\n')
  if (end < 0) throw new RangeError('datagram has no empty line ending its headers')
  if (!/^(?:\r\n)*$/.test(text.slice(end + 4))) throw new RangeError('datagram has data after its headers')
  const [first, ...lines] = text.slice(0, end).split('\r\n')
  if (first !== REQUEST_LINE) throw new RangeError('datagram is not a BT-SEARCH request')

  let port: number | null = null
  let cookie: string | null = null
  const infohashes = new Set<string>()
  for (const line of lines) {
    const match = HEADER.exec(line)
    if (match === null) throw new RangeError('malformed header line')
    const name = (match[1] ?? '').toLowerCase()
    const value = match[2] ?? ''
    if (name === 'port') {
      if (port !== null) throw new RangeError('more than one Port header')
      const n = Number(value)
      if (!PORT.test(value) || n > 65535) throw new RangeError('Port must be 1..65535')
      port = n
    } else if (name === 'infohash') {
      if (!INFOHASH.test(value)) throw new RangeError('Infohash must be 40 hex characters')
      infohashes.add(value.toLowerCase())
      if (infohashes.size > MAX_LSD_INFOHASHES) throw new RangeError(`more than ${MAX_LSD_INFOHASHES} infohashes`)
    } else if (name === 'cookie') {
      if (cookie !== null) throw new RangeError('more than one cookie header')
      if (!COOKIE.test(value)) throw new RangeError(`cookie must be 1..${MAX_COOKIE_LENGTH} printable characters without spaces`)
      cookie = value
    }
  }
  if (port === null) throw new RangeError('no Port header')
  if (infohashes.size === 0) throw new RangeError('no Infohash header')
  return { port, infohashes: [...infohashes], cookie }
}
