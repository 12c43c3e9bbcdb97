// BEP 42's `ip`: our DHT answers tell each querier where we saw it, and answers to us say where we were seen.
import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { test } from 'node:test'
import { decode, encode, type BDict } from '../../core/codec/bencode.ts'
import { KrpcSocket, withObserved } from '../../core/discovery/krpc-socket.ts'

const id = new Uint8Array(20).fill(1)
const response = encode({ r: { id }, t: Uint8Array.of(1, 2), y: new TextEncoder().encode('r') })
const query = encode({ a: { id }, q: new TextEncoder().encode('ping'), t: Uint8Array.of(1, 2), y: new TextEncoder().encode('q') })

test('an answer gains ip, the querier\'s address, as the one key before r; queries and IPv6 go as they are', () => {
  const withIp = decode(withObserved(response, '1.2.3.4', 0x1f90)) as BDict
  assert.deepEqual([...(withIp.ip as Uint8Array)], [1, 2, 3, 4, 0x1f, 0x90])
  assert.deepEqual(Buffer.from(encode(withIp)), Buffer.from(withObserved(response, '1.2.3.4', 0x1f90)), 'still canonical bencode')
  assert.equal(withObserved(query, '1.2.3.4', 1), query)
  assert.equal(withObserved(response, '::1', 1), response)
})

class FakeSocket extends EventEmitter {
  sent: Uint8Array[] = []
  send (buf: Uint8Array, offset: number, length: number, _port: number, _host: string, cb: (err: Error | null) => void): void {
    this.sent.push(buf.subarray(offset, offset + length))
    cb(null)
  }

  address (): { address: string; port: number } { return { address: '0.0.0.0', port: 4000 } }
}

test('an answer to a query of ours naming where it saw us is a sample; an unasked one, a second one, or a malformed ip is not', () => {
  const socket = new FakeSocket()
  const seen: string[] = []
  const krpc = new KrpcSocket(socket, () => {}, (observed, by) => { seen.push(`${observed.host}:${observed.port} by ${by.host}:${by.port}`) })
  krpc.on('message', () => {})
  const answer = Buffer.from(withObserved(response, '5.6.7.8', 4001))
  socket.emit('message', answer, { address: '9.9.9.9', port: 6881 })
  assert.deepEqual(seen, [], 'nobody asked')
  krpc.send(Buffer.from(query), 0, query.length, 6881, '9.9.9.9', () => {})
  krpc.send(Buffer.from(query), 0, query.length, 6881, '9.9.9.8', () => {})
  socket.emit('message', answer, { address: '9.9.9.7', port: 6881 })
  socket.emit('message', answer, { address: '9.9.9.9', port: 6881 })
  socket.emit('message', answer, { address: '9.9.9.9', port: 6881 })
  const bad = decode(response) as BDict
  bad.ip = Uint8Array.of(1, 2, 3)
  socket.emit('message', Buffer.from(encode(bad)), { address: '9.9.9.8', port: 6881 })
  assert.deepEqual(seen, ['5.6.7.8:4001 by 9.9.9.9:6881'])
  krpc.send(Buffer.from(response), 0, response.length, 6881, '9.9.9.9', () => {})
  assert.deepEqual([...((decode(socket.sent.at(-1)!) as BDict).ip as Uint8Array)], [9, 9, 9, 9, 0x1a, 0xe1])
})
