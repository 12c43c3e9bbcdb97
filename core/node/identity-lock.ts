// identity.lock: while locked, every client is kept out but for what unlocks (identity.status says
// 'locked', identity.unlock takes the passphrase); the node itself runs on.
import type { BitChatApi, BitChatEvents } from '../api/contract.ts'
import { BitChatError } from '../api/errors.ts'
import type { IdentityKeeper } from './identity-keeper.ts'

export interface IdentityLock {
  locked: boolean
}

/** `api` behind the lock, with identity.lock added. */
export function lockable (api: Omit<BitChatApi, 'identity.lock'>, lock: IdentityLock, keeper: IdentityKeeper, emit: (payload: BitChatEvents['identity.updated']) => void): BitChatApi {
  const open = new Set<string>(['identity.status', 'identity.unlock'])
  const guarded = Object.fromEntries(Object.entries(api).map(([method, fn]) => [method, async (params: unknown) => {
    if (lock.locked && !open.has(method)) throw BitChatError.identityLocked()
    return await (fn as (p: unknown) => Promise<unknown>)(params)
  }])) as unknown as BitChatApi
  return {
    ...guarded,
    'identity.status': async (params) => lock.locked ? { state: 'locked' } : await api['identity.status'](params),
    'identity.lock': async () => {
      if (keeper.status().state === 'ready' && !keeper.info().encrypted) throw BitChatError.invalidParams('set a passphrase first: without one, locking would keep nobody out')
      keeper.require()
      lock.locked = true
      emit({ state: 'locked' })
      return { state: 'locked' }
    },
    'identity.unlock': async (params) => {
      const info = await api['identity.unlock'](params)
      if (lock.locked) {
        lock.locked = false
        emit(keeper.status())
      }
      return info
    }
  }
}
