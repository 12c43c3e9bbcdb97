// The part of udx-native (reliable, congestion-controlled streams over UDP; no types of its own) we use.
declare module 'udx-native' {
  import type { EventEmitter } from 'node:events'

  export interface UdxAddress { host: string; family: number; port: number }

  export class UdxSocket extends EventEmitter<{ message: [Buffer, UdxAddress]; close: []; listening: [] }> {
    readonly bound: boolean
    readonly closing: boolean
    readonly streams: Set<UdxStream>
    bind (port?: number, host?: string): void
    address (): UdxAddress | null
    send (buffer: Uint8Array, port: number, host: string, ttl?: number): Promise<boolean>
    trySend (buffer: Uint8Array, port: number, host: string, ttl?: number): void
    close (): Promise<void>
  }

  export class UdxStream extends EventEmitter<{ data: [Buffer]; drain: []; end: []; close: []; error: [Error]; connect: [] }> {
    readonly id: number
    readonly remoteId: number
    readonly remoteHost: string | null
    readonly remotePort: number
    readonly connected: boolean
    readonly destroyed: boolean
    readonly _writableState: { buffered: number }
    connect (socket: UdxSocket, remoteId: number, port: number, host: string): void
    setKeepalive (timeoutMs: number): void
    write (data: Uint8Array): boolean
    end (): void
    destroy (err?: Error): void
    pause (): this
    resume (): this
  }

  export default class UDX {
    createSocket (opts?: { ipv6Only?: boolean; reuseAddress?: boolean }): UdxSocket
    createStream (id: number, opts?: { firewall?: (socket: UdxSocket, port: number, host: string) => boolean }): UdxStream
  }
}
