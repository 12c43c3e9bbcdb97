// The rows the store hands out and takes in. Keys and signatures are raw bytes; ids that
// cross the API (channel and message ids) are lowercase hex, as the API shows them.
import type { Hex } from '../api/contract.ts'

export interface StoredIdentity {
  /** Ed25519 public key, 32 bytes. */
  publicKey: Uint8Array
  /** Ed25519 secret key, 64 bytes; null while the key at rest is sealed by a passphrase. */
  secretKey: Uint8Array | null
  /** The passphrase-sealed secret key; null when the secret key is stored in the clear. */
  sealedSecretKey: Uint8Array | null
  name: string
  /** Milliseconds since the Unix epoch. */
  createdAt: number
}

export interface StoredChannel {
  channelId: Hex
  name: string
  /** The encoded `.chat` file: the source of truth for the channel's descriptor. */
  chatFile: Uint8Array
  joinedAt: number
  /** Messages received after this time (ms) count as unread; 0 when never read. */
  lastReadAt: number
}

/** A channel being joined: `lastReadAt` defaults to 0, so its whole history counts as unread. */
export type NewChannel = Omit<StoredChannel, 'lastReadAt'> & { lastReadAt?: number }

/** Where a page of messages lies: before a message (the newest page without one), after it, or from it on. At most one is given. */
export interface MessagePageAt {
  before?: Hex
  after?: Hex
  from?: Hex
}

export interface StoredMessage {
  messageId: Hex
  channelId: Hex
  /** The author's Ed25519 public key, 32 bytes. */
  author: Uint8Array
  seq: number
  /** Milliseconds, by the author's clock. */
  timestamp: number
  /** Milliseconds, by the local clock. */
  receivedAt: number
  kind: number
  body: string
  /** The full signed wire encoding (PROTOCOL §4), kept to forward it byte-exact; empty once its author deleted it. */
  raw: Uint8Array
  /** What the entry is about, for the kinds that are about another entry (written to entry_refs, or applied: a deletion). */
  about?: EntryAbout
  /** The public keys (hex) a text, reply or edit mentions (written to mentions). */
  mentions?: readonly string[]
}

/** An entry's reference to others: a reply, edit or reaction names one; a deletion takes some away. */
export type EntryAbout =
  | { kind: 'ref'; target: Hex; value: string }
  | { kind: 'delete'; targets: Array<{ id: Hex; seq: number }> }

/** How an address was learned. */
export type PeerSource = 'tracker' | 'dht' | 'lan' | 'pex' | 'incoming'

export interface StoredPeerAddress {
  channelId: Hex
  host: string
  port: number
  /** The Ed25519 key of the member listening there, when known. */
  publicKey: Uint8Array | null
  source: PeerSource
  lastSeenAt: number
  /** Dial failures since the address last answered. */
  failures: number
}

export type PeerSighting = Omit<StoredPeerAddress, 'failures'>
