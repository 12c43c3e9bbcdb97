import type { BitChatClient } from '../../../core/api/contract.ts'
import { errorMessageOf } from '../client/api-call-error.ts'
import { actions } from '../store/store.ts'

/** How often the open network panel asks again: often enough to watch a dial succeed or a tracker answer. */
export const NETWORK_POLL_MS = 3000

interface Flight { again: boolean; done: Promise<void> }
const inFlight = new WeakMap<BitChatClient, Flight>()

async function fetchUntilSettled (client: BitChatClient, flight: Flight): Promise<void> {
  do {
    flight.again = false
    try {
      const status = await client.call('network.status', {})
      actions().networkStatusLoaded(status, Date.now())
    } catch (err) {
      actions().networkStatusFailed(errorMessageOf(err))
    }
  } while (flight.again)
}

/**
 * Fetches `network.status` into the store; never rejects. Requests made while one is under way fold
 * into a single follow-up, so a burst of peer events costs two calls and the last answer is still
 * newer than the last event.
 */
export function refreshNetworkStatus (client: BitChatClient): Promise<void> {
  const current = inFlight.get(client)
  if (current !== undefined) {
    current.again = true
    return current.done
  }
  const flight: Flight = { again: false, done: Promise.resolve() }
  inFlight.set(client, flight)
  flight.done = fetchUntilSettled(client, flight).finally(() => { inFlight.delete(client) })
  return flight.done
}

export const isNetworkPanelOpen = (): boolean => actions().dialog?.kind === 'network'
