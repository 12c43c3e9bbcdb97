// Two muxes back to back in memory, either synchronously or through a pipe that delivers one frame
// per event-loop turn and can stall, as a slow reader or a full socket would.
import { Mux, type MuxOptions } from '../../core/connection/mux.ts'
import { decodeMuxFrame, type MuxFrame } from '../../core/connection/mux-messages.ts'
import { encodeBody, framesOf } from '../../core/connection/mux-body.ts'

export type PairOptions = Pick<MuxOptions, 'limits' | 'now' | 'defer'>

export interface SyncPair {
  a: Mux
  b: Mux
  /** Every frame each side sent, decoded, in order. */
  sentByA: MuxFrame[]
  sentByB: MuxFrame[]
}

/** The frames of a DATA body, decoded. */
export function decodeBody (body: Uint8Array): MuxFrame[] {
  return [...framesOf(body)].map(decodeMuxFrame)
}

/** Hands `frames` to `mux` as one DATA body, as a hand-built peer would. */
export function feed (mux: Mux, ...frames: Uint8Array[]): void {
  mux.receive(encodeBody(frames))
}

/** `a` is the connection's initiator. Frames are delivered inside send(), so everything settles before a call returns. */
export function syncPair (opts: PairOptions = {}): SyncPair {
  const sentByA: MuxFrame[] = []
  const sentByB: MuxFrame[] = []
  const pair: SyncPair = { a: null as unknown as Mux, b: null as unknown as Mux, sentByA, sentByB }
  pair.a = new Mux({ initiator: true, ...opts, send: (body) => { sentByA.push(...decodeBody(body)); pair.b.receive(body) }, writable: () => true })
  pair.b = new Mux({ initiator: false, ...opts, send: (body) => { sentByB.push(...decodeBody(body)); pair.a.receive(body) }, writable: () => true })
  return pair
}

/**
 * One direction of a transport: takes bodies while fewer than `capacity` are in flight, delivers
 * one per turn of the event loop unless stalled, and tells the sender when it has room again.
 */
export class Pipe {
  readonly #queue: Uint8Array[] = []
  readonly #capacity: number
  #stalled = false
  #scheduled = false
  #from: Mux | null = null
  #to: Mux | null = null
  /** Every frame delivered, decoded, in order. */
  readonly delivered: MuxFrame[] = []
  /** Bodies delivered: transport frames. */
  bodies = 0

  constructor (capacity: number) {
    this.#capacity = capacity
  }

  connect (from: Mux, to: Mux): void {
    this.#from = from
    this.#to = to
  }

  get inFlight (): number { return this.#queue.length }

  writable (): boolean {
    return this.#queue.length < this.#capacity
  }

  push (body: Uint8Array): void {
    this.#queue.push(body)
    this.#schedule()
  }

  stall (): void {
    this.#stalled = true
  }

  resume (): void {
    this.#stalled = false
    this.#schedule()
  }

  #schedule (): void {
    if (this.#scheduled || this.#stalled || this.#queue.length === 0) return
    this.#scheduled = true
    setImmediate(() => {
      this.#scheduled = false
      if (this.#stalled) return
      const body = this.#queue.shift()
      if (body === undefined) return
      this.delivered.push(...decodeBody(body))
      this.bodies++
      this.#to!.receive(body)
      this.#from!.drained()
      this.#schedule()
    })
  }
}

export interface AsyncPair {
  a: Mux
  b: Mux
  /** Carries a's frames to b. */
  ab: Pipe
  ba: Pipe
}

export function asyncPair (opts: PairOptions & { capacity?: number } = {}): AsyncPair {
  const ab = new Pipe(opts.capacity ?? 4)
  const ba = new Pipe(opts.capacity ?? 4)
  const a = new Mux({ initiator: true, ...opts, send: (body) => { ab.push(body) }, writable: () => ab.writable() })
  const b = new Mux({ initiator: false, ...opts, send: (body) => { ba.push(body) }, writable: () => ba.writable() })
  ab.connect(a, b)
  ba.connect(b, a)
  return { a, b, ab, ba }
}

/** Resolves once both pipes are empty and have stayed so for a few turns; a stalled pipe never is. */
export async function settle (pair: AsyncPair, maxTurns = 100_000): Promise<void> {
  for (let quiet = 0, turns = 0; quiet < 3; turns++) {
    if (turns > maxTurns) throw new Error(`the pipes are still busy after ${maxTurns} turns`)
    await new Promise(resolve => setImmediate(resolve))
    quiet = pair.ab.inFlight === 0 && pair.ba.inFlight === 0 ? quiet + 1 : 0
  }
}

/** `u8 type ‖ body` of `length` bytes, the body filled with `fill`. */
export function message (length: number, type = 0x10, fill = 0xab): Uint8Array {
  const m = new Uint8Array(length).fill(fill)
  m[0] = type
  return m
}

