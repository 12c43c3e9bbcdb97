// The NAT test networks behave as the NATs they stand for (issue 11's traversal tests rely on it):
// a cone gateway shows one mapping to every destination, a symmetric one a new mapping per
// destination, and nothing unsolicited gets in.
import assert from 'node:assert/strict'
import { spawn, execFileSync } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { test } from 'node:test'
import { NetLab, netnsUnavailable, type LabHost } from '../helpers/netns.ts'

const skip = netnsUnavailable() ?? false

// Ports 4000 and 4001 answer each datagram with the address and port it came from; 4002 answers
// from 4003, as a peer at another port would.
const REFLECTOR = `
const dgram = require('node:dgram')
const socket = port => new Promise(resolve => { const s = dgram.createSocket('udp4'); s.bind(port, () => resolve(s)) })
Promise.all([4000, 4001, 4002, 4003].map(socket)).then(([a, b, c, d]) => {
  for (const s of [a, b]) s.on('message', (m, r) => s.send(r.address + ':' + r.port, r.port, r.address))
  c.on('message', (m, r) => d.send(r.address + ':' + r.port, r.port, r.address))
  console.log('ready')
})`

/** Sends from one UDP socket to each port of \`to\` and prints what came back, by the port it came from. */
const PROBE = `
const dgram = require('node:dgram')
const [to, ...ports] = process.argv.slice(1)
const s = dgram.createSocket('udp4')
const seen = {}
s.on('message', (m, r) => { seen[r.port] = String(m) })
s.bind(0, () => {
  for (const p of ports) s.send('?', Number(p), to)
  setTimeout(() => { console.log(JSON.stringify(seen)); s.close() }, 300)
})`

async function reflector (host: LabHost): Promise<void> {
  const child = spawn(host.exec[0]!, [...host.exec.slice(1), process.execPath, '-e', REFLECTOR], { stdio: ['ignore', 'pipe', 'inherit'] })
  const [line] = await once(createInterface({ input: child.stdout }), 'line') as [string]
  assert.equal(line, 'ready')
}

function probe (from: LabHost, to: string, ports: number[]): Record<number, string> {
  const out = execFileSync(from.exec[0]!, [...from.exec.slice(1), process.execPath, '-e', PROBE, to, ...ports.map(String)], { encoding: 'utf8', timeout: 10_000 })
  return JSON.parse(out) as Record<number, string>
}

test('a cone NAT shows one mapping to every destination; a symmetric NAT a new one per destination', { skip }, async t => {
  const lab = NetLab.create()
  t.after(() => { lab.close() })
  const server = lab.publicHost()
  const cone = lab.natSite('cone')
  const symmetric = lab.natSite('symmetric')
  await reflector(server)

  const { 4000: a, 4001: b } = probe(cone.host, server.address, [4000, 4001])
  assert.match(a!, new RegExp(`^${cone.publicAddress.replaceAll('.', '\\.')}:\\d+$`), 'the public side sees the gateway, not the private address')
  assert.equal(a, b, 'one mapping for both destinations')

  const { 4000: c, 4001: d } = probe(symmetric.host, server.address, [4000, 4001])
  assert.equal(c!.split(':')[0], symmetric.publicAddress)
  assert.notEqual(c, d, 'a new mapping for the second destination')
})

test('nothing reaches a host behind a NAT unless it spoke first, and then only from where it spoke to', { skip }, async t => {
  const lab = NetLab.create()
  t.after(() => { lab.close() })
  const server = lab.publicHost()
  const site = lab.natSite('cone')
  await reflector(server)
  await reflector(site.host)

  assert.deepEqual(probe(server, site.publicAddress, [4000]), {}, 'an unsolicited datagram is dropped at the gateway')
  assert.deepEqual(Object.keys(probe(site.host, server.address, [4000])), ['4000'], 'an answer comes in')
  assert.deepEqual(probe(site.host, server.address, [4002]), {}, 'an answer from another port than the one spoken to is dropped')
})
