import { loadSodium } from '../../core/crypto/sodium.ts'
import type { WireRange } from '../../core/history/reconciler.ts'
import { createGroupMessage, decodeGroupMessage, type GroupMessage } from '../../core/wire/group-message.ts'
import { decodeFrame, HISTORY, RECEIPT, TYPING, MESSAGE, PEX, RANGES, WANT, type PeerAddress, type WireMessage } from '../../core/wire/messages.ts'

// libsodium's WebAssembly build: an independent reference for what core computes natively.
const sodium = await loadSodium()

export const keyHex = (fill: number): string => Buffer.alloc(32, fill).toString('hex')

const keyPair = sodium.crypto_sign_keypair()
export const author = { publicKey: keyPair.publicKey, secretKey: keyPair.privateKey }
export const channelId = sodium.randombytes_buf(32)

export function sampleGroupMessage (text = 'hello, channel ✓'): GroupMessage {
  return createGroupMessage({ channelId, author, seq: 7, timestamp: 1_760_000_000_123, text })
}

export const samplePeers: PeerAddress[] = [
  { publicKey: keyHex(1), host: '192.0.2.10', port: 6881 },
  { publicKey: keyHex(2), host: '2001:db8::2', port: 65535 }
]

const filled = (n: number, fill: number): Uint8Array => new Uint8Array(n).fill(fill)

export const sampleRanges: WireRange[] = [
  { upper: { author: filled(32, 3), seq: 7 }, mode: { kind: 'skip' } },
  { upper: { author: filled(32, 3), seq: 2 ** 40 }, mode: { kind: 'fingerprint', count: 12, fingerprint: filled(16, 9) } },
  { upper: { author: filled(32, 8), seq: 0 }, mode: { kind: 'ids', ids: [filled(32, 1), filled(32, 2)] } },
  { upper: null, mode: { kind: 'ids', ids: [] } }
]

/** One valid encoded frame of every type. */
export function sampleFrames (): Uint8Array[] {
  return [
    MESSAGE.encode(sampleGroupMessage()),
    PEX.encode({ peers: samplePeers }),
    PEX.encode({ peers: [] }),
    RANGES.encode({ ranges: sampleRanges }),
    RANGES.encode({ ranges: [{ upper: null, mode: { kind: 'skip' } }] }),
    WANT.encode({ ids: [Buffer.alloc(32, 5), Buffer.alloc(32, 6)] }),
    HISTORY.encode(sampleGroupMessage('from history')),
    RECEIPT.encode({ delivered: 2 ** 40, read: 7 }),
    TYPING.encode({ active: true })
  ]
}

/** What a receiver does with a frame: decode it, and the group message a MESSAGE carries. */
export function receive (frame: Uint8Array): WireMessage | GroupMessage {
  const message = decodeFrame(frame)
  return message.type === 'message' || message.type === 'history' ? decodeGroupMessage(message.raw) : message
}
