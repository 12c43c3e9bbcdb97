// The part of bittorrent-tracker 11 that core/discovery (the client) and the tests (the server)
// use. The package ships no types.
declare module 'bittorrent-tracker/client' {
  import { EventEmitter } from 'node:events'

  /** Sent with every announce; `event` is set by start()/stop(). */
  export interface AnnounceOpts {
    uploaded?: number
    downloaded?: number
    left?: number
    numwant?: number
  }

  export interface ClientOptions {
    infoHash: Uint8Array
    /** 20 bytes. A string would be taken as hex. */
    peerId: Uint8Array
    announce: string[]
    port: number
    userAgent?: string
    getAnnounceOpts?: () => AnnounceOpts
  }

  /** A tracker's answer: `announce` is its URL; the rest is the decoded response, as the tracker sent it. */
  export interface UpdateEvent {
    announce: string
    [field: string]: unknown
  }

  /**
   * One announce URL inside a Client (`Client._trackers`). Not public API: reached for only to work
   * around the package's bugs (see core/discovery/tracker.ts), and pinned by the tests that show them.
   */
  export interface TrackerInternals {
    readonly announceUrl: string
    setInterval (intervalMs?: number): void
    /** Also what the package's own interval timer calls; the UDP tracker may throw from it synchronously. */
    announce (opts: object): void
    /** HTTP trackers only: an async function whose rejections nothing catches. */
    _request?: (url: string, params: object, cb: (err: Error | null, data?: unknown) => void) => Promise<void>
  }

  export default class Client extends EventEmitter<{
    update: [UpdateEvent]
    /** `ip:port`, `[ipv6]:port`, or whatever a non-compact response put there. */
    peer: [string]
    warning: [Error]
    error: [Error]
  }> {
    constructor (opts: ClientOptions)
    readonly destroyed: boolean
    readonly _trackers: TrackerInternals[]
    start (opts?: AnnounceOpts): void
    stop (opts?: AnnounceOpts): void
    update (opts?: AnnounceOpts): void
    destroy (cb?: (err: Error | null) => void): void
  }
}

declare module 'bittorrent-tracker/server' {
  import { EventEmitter } from 'node:events'
  import type { Server as HttpServer } from 'node:http'
  import type { Socket } from 'node:dgram'

  export interface ServerOptions {
    /** Announce interval told to clients, in milliseconds. */
    interval?: number
    http?: boolean
    udp?: boolean
    ws?: boolean
    stats?: boolean
  }

  export interface AnnounceParams {
    type: 'http' | 'udp' | 'ws'
    /** Hex. */
    info_hash: string
    /** Hex. */
    peer_id: string
    port: number
    left: number
    numwant: number
    event: 'started' | 'stopped' | 'completed' | 'update' | 'paused'
    ip: string
    addr: string
    /** HTTP announces only. */
    headers?: Record<string, string | string[] | undefined>
  }

  type AnnounceListener = [addr: string, params: AnnounceParams]

  export default class Server extends EventEmitter<{
    start: AnnounceListener
    stop: AnnounceListener
    update: AnnounceListener
    complete: AnnounceListener
    listening: []
    error: [Error]
    warning: [Error]
  }> {
    constructor (opts?: ServerOptions)
    readonly http: HttpServer | null
    readonly udp4: Socket | null
    readonly udp6: Socket | null
    listen (port: number | { http?: number; udp?: number }, hostname: { http?: string; udp?: string; udp6?: string }, onListening?: () => void): void
    close (cb?: (err?: Error | null) => void): void
  }
}
