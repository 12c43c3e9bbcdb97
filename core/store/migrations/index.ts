import type { Migration } from './migration.ts'
import { initial } from './001-initial.ts'
import { peerAddresses } from './002-peer-addresses.ts'
import { dhtNodes } from './003-dht-nodes.ts'
import { members } from './004-members.ts'
import { historyReconciliation } from './005-history-reconciliation.ts'
import { contacts } from './006-contacts.ts'
import { receipts } from './007-receipts.ts'
import { entryRefs } from './008-entry-refs.ts'
import { invitations } from './009-invitations.ts'
import { search } from './010-search.ts'
import { mentionsAndMute } from './011-mentions-and-mute.ts'
import { channelEpochs } from './012-channel-epochs.ts'

/** Every migration, in order: entry i has version i + 1. Append only. */
export const MIGRATIONS: readonly Migration[] = [
  initial,
  peerAddresses,
  dhtNodes,
  members,
  historyReconciliation,
  contacts,
  receipts,
  entryRefs,
  invitations,
  search,
  mentionsAndMute,
  channelEpochs
]
