// One hyperswarm peer in a process of its own, the anchor's counterpart of a `bitchat daemon`: it
// joins a topic through a loopback hyperdht, prints every message it receives as a JSON line on
// stdout, and takes JSON commands on stdin (send one message to every connection, send a burst,
// stop). Run by anchor/hyperswarm-peers.ts.
//
// Hyperswarm as shipped looks a topic up once per join and then only every ~10 minutes, so peers
// joining at the same instant miss each other (each looks before the other announced): until it
// holds `expect` connections, this peer looks again every second, as an app using it must.
import { createInterface } from 'node:readline'
import type { HostPort } from 'hyperdht'
import type NoiseSecretStream from '@hyperswarm/secret-stream'
import { loopbackSwarm } from './loopback-swarm.ts'

export interface PeerConfig { bootstrap: HostPort[]; topic: string; expect: number }

export type PeerCommand =
  | { cmd: 'send'; text: string }
  | { cmd: 'burst'; count: number; text: string }
  | { cmd: 'stop' }

export type PeerLine =
  | { type: 'connections'; count: number }
  | { type: 'message'; from: string; text: string }
  | { type: 'sent'; count: number }

const config = JSON.parse(process.argv[2] ?? '{}') as PeerConfig
const print = (line: PeerLine): void => { process.stdout.write(JSON.stringify(line) + '\n') }

let stopping = false
const swarm = loopbackSwarm(config.bootstrap)
const connections = new Set<NoiseSecretStream>()
swarm.on('connection', (conn, info) => {
  const from = info.publicKey.toString('hex')
  connections.add(conn)
  print({ type: 'connections', count: connections.size })
  conn.on('data', (data) => { print({ type: 'message', from, text: data.toString() }) })
  conn.on('error', () => {})
  conn.on('close', () => {
    connections.delete(conn)
    print({ type: 'connections', count: connections.size })
  })
})
const discovery = swarm.join(Buffer.from(config.topic, 'hex'), { server: true, client: true })
void (async () => {
  await discovery.flushed()
  while (connections.size < config.expect && !stopping) {
    await new Promise(resolve => setTimeout(resolve, 1000))
    if (connections.size < config.expect && !stopping) await discovery.refresh()
  }
})()

/** `count` messages to every connection, waiting for 'drain' where a connection is full. */
async function burst (count: number, text: string): Promise<void> {
  const targets = [...connections]
  for (let i = 0; i < count; i++) {
    const message = Buffer.from(`${i} ${text}`)
    const full = targets.filter(conn => !conn.write(message))
    await Promise.all(full.map(conn => new Promise<void>(resolve => { conn.once('drain', resolve) })))
  }
  print({ type: 'sent', count })
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line) as PeerCommand
  if (command.cmd === 'send') {
    const message = Buffer.from(command.text)
    for (const conn of connections) conn.write(message)
  } else if (command.cmd === 'burst') {
    void burst(command.count, command.text)
  } else {
    stopping = true
    void swarm.destroy().finally(() => { process.exit(0) })
  }
}).on('close', () => {
  if (!stopping) process.exit(0)
})
