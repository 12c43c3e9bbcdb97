// Joins the channels the operating system hands us and shows them. A target that arrives before
// there is an unlocked identity (first run, locked key) waits for one instead of failing.
import type { BitChatService } from '../core/api/service.ts'
import { dispatch } from '../core/api/service.ts'
import { BitChatError } from '../core/api/errors.ts'
import type { Logger } from '../core/log.ts'
import { toPublicError } from '../core/rpc/public-error.ts'
import type { OpenTarget } from './open-targets.ts'

const MAX_WAITING = 16

export interface ChannelOpenerOptions {
  service: BitChatService
  /** Brings the window forward and tells the renderer to show the channel. */
  focusChannel: (channelId: string) => void
  /** Tells the person why a channel could not be opened. */
  showError: (title: string, message: string) => void
  log: Logger
}

export interface ChannelOpener {
  /** Never rejects: failures are shown to the person. */
  open (target: OpenTarget): Promise<void>
  dispose (): void
}

export function createChannelOpener (opts: ChannelOpenerOptions): ChannelOpener {
  const { service, log } = opts
  let waiting: OpenTarget[] = []

  const open = async (target: OpenTarget): Promise<void> => {
    try {
      const joined = await dispatch(service, 'channels.join', target) as { channelId: string }
      opts.focusChannel(joined.channelId)
    } catch (err) {
      if (err instanceof BitChatError && (err.code === 'IDENTITY_MISSING' || err.code === 'IDENTITY_LOCKED')) {
        log.info('a channel to open waits for the identity', { code: err.code })
        if (waiting.length < MAX_WAITING) waiting.push(target)
        return
      }
      const error = toPublicError(err, log, { action: 'open channel' })
      opts.showError('Could not open the channel', error.message)
    }
  }

  const unsubscribe = service.onEvent((event, payload) => {
    if (event !== 'identity.updated' || (payload as { state?: unknown }).state !== 'ready' || waiting.length === 0) return
    const ready = waiting
    waiting = []
    void (async () => { for (const target of ready) await open(target) })()
  })

  return {
    open,
    dispose () {
      waiting = []
      unsubscribe()
    }
  }
}
