import { useEffect, useState } from 'react'
import type { Hex, MessageInfo } from '../../../core/api/contract.ts'
import { errorMessageOf } from '../client/api-call-error.ts'
import { queryWords } from '../lib/fold.ts'
import { byTime } from '../store/messages.ts'
import { useClient } from './client-context.ts'
import { SEARCH_DEBOUNCE_MS } from './search.ts'

export interface MessageSearch {
  /** 'idle' until the query holds a word to look for. */
  status: 'idle' | 'searching' | 'done' | 'failed'
  /** The query `results` answer (while searching, the one before: results stay until new ones replace them). */
  query: string
  results: readonly MessageInfo[]
  /** Why the search failed, in the core's words. */
  detail?: string
}

const IDLE: MessageSearch = { status: 'idle', query: '', results: [] }

/** messages.search for `query` once typing pauses, newest first, in one conversation or (without `channelId`) all; answers to an older query are dropped. */
export function useMessageSearch (query: string, limit: number, channelId?: Hex): MessageSearch {
  const client = useClient()
  const [state, setState] = useState<MessageSearch>(IDLE)
  const wanted = queryWords(query).length > 0 ? query.trim() : ''
  useEffect(() => {
    if (wanted === '') {
      setState(IDLE)
      return
    }
    let current = true
    setState(s => ({ ...s, status: 'searching' }))
    const timer = setTimeout(() => {
      client.call('messages.search', channelId === undefined ? { query: wanted, limit } : { query: wanted, channelId, limit }).then(
        // The core finds them newest to arrive first; they are shown, and stepped through, in conversation order.
        results => { if (current) setState({ status: 'done', query: wanted, results: [...results].sort((a, b) => byTime(b, a)) }) },
        (err: unknown) => { if (current) setState({ status: 'failed', query: wanted, results: [], detail: errorMessageOf(err) }) }
      )
    }, SEARCH_DEBOUNCE_MS)
    return () => {
      current = false
      clearTimeout(timer)
    }
  }, [client, wanted, channelId, limit])
  return state
}
