// A BitChatService test double for transport tests: every method answers a fixed value and
// records its call, `emit` pushes events, and `overrides` replace single methods (to throw).
import type { BitChatApi, BitChatEvents, ContactInfo, EventName, MethodName } from '../../core/api/contract.ts'
import type { AnyEventListener, BitChatService } from '../../core/api/service.ts'

export const CHANNEL_ID = 'c'.repeat(64)
export const OTHER_CHANNEL_ID = 'd'.repeat(64)
export const PUBLIC_KEY = 'a'.repeat(64)

const identity = { publicKey: PUBLIC_KEY, fingerprint: 'abcd-efgh', name: 'alice', encrypted: false }
const settings = { listenPort: 4000, trackerUserAgent: 'qBittorrent/4.6.5', trackerPeerIdPrefix: '-qB4650-', readReceipts: true, dataDir: '/tmp/x' }
const summary = { channelId: CHANNEL_ID, name: 'general', peerCount: 1, mode: 'open' as const, trackers: [], unread: 2 }

export interface FixedService extends BitChatService {
  readonly calls: Array<{ method: MethodName; params: unknown }>
  emit<E extends EventName> (event: E, payload: BitChatEvents[E]): void
  listenerCount (): number
  readonly closed: boolean
}

const contact = (publicKey: string): ContactInfo => ({ publicKey, name: '', theirName: null, fingerprint: 'CCCC CCCC CCCC CCCC CCCC CCCC CCCC CCCC', verified: false, blocked: false, notes: '', addedAt: 0 })

export function fixedService (overrides: Partial<BitChatApi> = {}): FixedService {
  const calls: Array<{ method: MethodName; params: unknown }> = []
  const listeners = new Set<AnyEventListener>()
  let closed = false
  const fixed: BitChatApi = {
    'identity.status': async () => ({ state: 'ready', identity }),
    'identity.create': async () => identity,
    'identity.unlock': async () => identity,
    'identity.setPassphrase': async () => identity,
    'identity.get': async () => identity,
    'identity.lock': async () => ({ state: 'locked' as const }),
    'identity.setName': async (p) => ({ ...identity, name: p.name }),
    'identity.export': async () => ({ data: 'AA==', fileName: 'alice.bitchat-identity' }),
    'identity.import': async () => identity,
    'identity.contactLink': async () => ({ link: `bitchat:contact?v=1&k=${identity.publicKey}&n=${identity.name}&x=00000000` }),
    'identity.contactFile': async () => ({ text: `bitchat-contact 1\nkey: ${identity.publicKey}\nname: ${identity.name}\nfingerprint: ${identity.fingerprint}\n`, fileName: `${identity.name}.bitchat-contact` }),
    'contacts.list': async () => [],
    'contacts.add': async (p) => contact(p.publicKey ?? 'c'.repeat(64)),
    'contacts.update': async (p) => ({ ...contact(p.publicKey), ...p }),
    'contacts.remove': async () => {},
    'contacts.safetyCode': async () => ({ code: '00000 11111 22222 33333 44444 55555 66666 77777 88888 99999 01234 56789' }),
    'contacts.inspectLink': async () => ({ publicKey: 'c'.repeat(64), name: 'carol', fingerprint: 'CCCC CCCC CCCC CCCC CCCC CCCC CCCC CCCC', known: false }),
    'contacts.inspectFile': async () => ({ publicKey: 'c'.repeat(64), name: 'carol', fingerprint: 'CCCC CCCC CCCC CCCC CCCC CCCC CCCC CCCC', known: false }),
    'channels.create': async () => ({ channelId: CHANNEL_ID, uri: 'bitchat:?v=1' }),
    'channels.join': async () => ({ channelId: CHANNEL_ID, name: 'general' }),
    'channels.leave': async () => {},
    'channels.list': async () => [summary, { ...summary, channelId: OTHER_CHANNEL_ID, unread: 3 }],
    'channels.share': async () => ({ channelId: CHANNEL_ID, uri: 'bitchat:?v=1', data: '', fileName: 'general.chat' }),
    'channels.markRead': async () => {},
    'channels.setMuted': async ({ channelId, muted }) => ({ ...summary, channelId, muted }),
    'channels.invite': async () => ({ channelId: CHANNEL_ID }),
    'channels.addMember': async () => {},
    'channels.removeMember': async () => {},
    'channels.setAdmin': async () => {},
    'invitations.list': async () => [],
    'invitations.accept': async () => ({ channelId: CHANNEL_ID }),
    'invitations.decline': async () => {},
    'peers.list': async () => [],
    'channels.members': async () => [],
    'channels.receipts': async () => [],
    'conversations.openPrivate': async () => ({ channelId: OTHER_CHANNEL_ID }),
    'messages.send': async () => ({ messageId: 'e'.repeat(64), message: message({ own: true }) }),
    'messages.list': async () => [],
    'messages.typing': async () => {},
    'messages.search': async () => [],
    'messages.edit': async () => ({ message: message({ own: true }) }),
    'messages.delete': async () => {},
    'messages.react': async () => ({ message: message({ own: true }) }),
    'network.status': async () => ({ listenPort: 0, observedAddresses: [], reachable: false, dht: { enabled: false, nodes: 0, bootstrapped: false, lastError: null }, lan: { enabled: false, lastError: null }, channels: [] }),
    'settings.get': async () => settings,
    'settings.set': async (p) => ({ ...settings, ...p })
  }
  const all = { ...fixed, ...overrides }
  const api = Object.fromEntries(Object.entries(all).map(([method, fn]) => [method, async (params: unknown) => {
    calls.push({ method: method as MethodName, params })
    return await (fn as (p: unknown) => Promise<unknown>)(params)
  }])) as unknown as BitChatApi
  return {
    api,
    calls,
    onEvent (listener) {
      listeners.add(listener)
      return () => { listeners.delete(listener) }
    },
    emit (event, payload) {
      for (const listener of listeners) listener(event, payload)
    },
    listenerCount: () => listeners.size,
    get closed () { return closed },
    async close () { closed = true }
  }
}

export function message (overrides: Partial<BitChatEvents['message.received']> = {}): BitChatEvents['message.received'] {
  return { messageId: 'e'.repeat(64), channelId: CHANNEL_ID, author: 'b'.repeat(64), authorName: 'bob', text: 'hello', timestamp: 1, seq: 1, own: false, ...overrides }
}
