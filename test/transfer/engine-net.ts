// Members of one channel in this process, each a real ConnectionPool listening on loopback TCP with
// a Transfers engine on it, and files of random bytes on disk: what the engine's tests and benchmark
// move files between.
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { toHex } from '../../core/codec/hex.ts'
import type { Connection } from '../../core/connection/connection.ts'
import type { Stream } from '../../core/connection/mux-stream.ts'
import { generateIdentity, type Identity } from '../../core/identity/identity.ts'
import { silentLogger } from '../../core/log.ts'
import { ConnectionPool } from '../../core/peers/connection-pool.ts'
import { hashFileForOffer, type HashedFile } from '../../core/transfer/hash-worker.ts'
import { Transfers, type TransfersOptions } from '../../core/transfer/transfers.ts'
import { createProfile } from '../../core/wire/profile.ts'
import { waitUntil } from '../helpers/wait.ts'

const CHANNEL_ID = 'f'.repeat(64)
const PSK = new Uint8Array(32).fill(12)

export interface Member {
  readonly key: string
  readonly identity: Identity
  readonly pool: ConnectionPool
  readonly transfers: Transfers
  readonly folder: string
  close: () => Promise<void>
}

export interface MemberOptions {
  /** Who the file's conversation holds: every member's key, filled in as they are made. */
  roster: string[]
  /** The same person again (a restart). */
  identity?: Identity
  /** Streams of other protocols than files, for the test's own use: true when taken. */
  onOtherStream?: (connection: Connection, stream: Stream) => boolean
  download?: TransfersOptions['download']
}

export async function member (opts: MemberOptions): Promise<Member> {
  const identity = opts.identity ?? generateIdentity()
  const key = toHex(identity.publicKey)
  const profile = createProfile({ identity, seq: 1, timestamp: Date.now(), name: key.slice(0, 8), tcpPort: 0, udpPort: 0 }).raw
  let transfers: Transfers | undefined
  const pool = new ConnectionPool({
    identity,
    log: silentLogger,
    profile: () => profile,
    onProfile: () => {},
    onObserved: () => {},
    onGone: () => {},
    onAdopted: (connection) => { transfers?.onConnection(connection) },
    onOtherStream: (connection, stream) => opts.onOtherStream?.(connection, stream) === true || (transfers?.onStream(connection, stream) ?? false)
  })
  pool.addTopic({ channelId: CHANNEL_ID, psk: PSK, isAllowed: () => true, attach: () => {} })
  await pool.listen(0, '127.0.0.1')
  transfers = new Transfers({
    pool,
    peersFor: () => opts.roster.filter(k => k !== key),
    log: silentLogger,
    ...(opts.download === undefined ? {} : { download: opts.download })
  })
  if (!opts.roster.includes(key)) opts.roster.push(key)
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bitchat-engine-'))
  const engine = transfers
  return {
    key,
    identity,
    pool,
    transfers: engine,
    folder,
    close: async () => {
      await engine.close()
      await pool.close()
    }
  }
}

/** Connects `from` to `to` and waits until both keep the connection. */
export async function link (from: Member, to: Member): Promise<void> {
  await from.pool.dial({ kind: 'tcp', host: '127.0.0.1', port: to.pool.port }, CHANNEL_ID, to.key)
  await waitUntil(() => from.pool.connectionTo(to.key)?.established === true && to.pool.connectionTo(from.key)?.established === true, 10_000, 'the connection kept at both ends')
}

/** A file of `size` random bytes in `folder`, and its SHA-256, written in slices so memory stays flat. */
export function randomFile (folder: string, name: string, size: number): { path: string; sha256: string } {
  const filePath = path.join(folder, name)
  const fd = fs.openSync(filePath, 'w')
  const digest = createHash('sha256')
  try {
    for (let done = 0; done < size;) {
      const slice = randomBytes(Math.min(16 * 1024 * 1024, size - done))
      fs.writeSync(fd, slice)
      digest.update(slice)
      done += slice.length
    }
  } finally {
    fs.closeSync(fd)
  }
  return { path: filePath, sha256: digest.digest('hex') }
}

export async function sha256File (filePath: string): Promise<string> {
  const digest = createHash('sha256')
  for await (const chunk of fs.createReadStream(filePath, { highWaterMark: 1024 * 1024 })) digest.update(chunk as Buffer)
  return digest.digest('hex')
}

/** Hashes a file as its sender does before offering it. */
export async function offerOf (filePath: string): Promise<HashedFile> {
  return await hashFileForOffer(filePath)
}
