// Search: messages.search's query over 100,000 stored messages in a real SQLite file (the full-text
// index), next to finding the same messages by scanning every message's text (LIKE), in the same run.
// Queries: a rare word, a common word's beginning, two words together; median and p95 of each.
import Database from 'better-sqlite3'
import path from 'node:path'
import { Store } from '../../../core/store/store.ts'
import { searchQuery } from '../../../core/store/search-index.ts'
import { tempDir } from '../../helpers/testnet.ts'
import { prng } from '../../helpers/prng.ts'
import type { Scenario, ScenarioContext } from '../harness/scenario.ts'
import { met } from '../harness/scenario.ts'
import { fmt, median, percentile, ratioText, sortAscending } from '../harness/stats.ts'

const COUNT = 100_000
const RUNS = 30
const TARGET_MS = 50
const WORDS = ['meeting', 'lunch', 'station', 'train', 'later', 'tomorrow', 'weekend', 'photos', 'project', 'deadline', 'coffee', 'dinner',
  'birthday', 'present', 'holiday', 'ticket', 'concert', 'weather', 'football', 'garden', 'kitchen', 'window', 'bicycle', 'library']

async function run (ctx: ScenarioContext): Promise<void> {
  const dir = tempDir('bitchat-bench-search-')
  const store = Store.open(path.join(dir, 'bitchat.db'))
  ctx.defer(() => { store.close() })
  const channelId = 'ab'.repeat(32)
  store.addChannel({ channelId, name: 'search', chatFile: new Uint8Array([1]), joinedAt: 0 })
  const random = prng(7)
  const pick = (): string => WORDS[Math.floor(random() * WORDS.length)]!
  const author = new Uint8Array(32).fill(3)
  for (let i = 0; i < COUNT; i += 5_000) {
    store.insertMessages(channelId, Array.from({ length: 5_000 }, (_, j) => {
      const n = i + j
      // One message in ten thousand names the rare word.
      const text = `${pick()} ${pick()} and ${pick()} at ${n % 97} ${n % 10_000 === 0 ? 'zeppelin' : pick()}`
      return { messageId: n.toString(16).padStart(64, '0'), channelId, author, seq: n + 1, timestamp: 1_700_000_000_000 + n, receivedAt: n, kind: 1, body: text, raw: new Uint8Array(100).fill(1) }
    }))
  }
  // The same file through a second connection, as the baseline reads it.
  const plain = new Database(path.join(dir, 'bitchat.db'), { timeout: 5000 })
  ctx.defer(() => { plain.close() })
  const scan = plain.prepare<[string, string], { id: string }>(
    'SELECT message_id AS id FROM messages WHERE channel_id = ? AND body LIKE ? ORDER BY rowid DESC LIMIT 50')

  const queries: Array<[string, string, string]> = [['a rare word', 'zeppelin', '%zeppelin%'], ['a common word\'s beginning', 'birth', '%birth%'], ['two words', 'coffee garden', '%coffee%garden%']]
  for (const [what, typed, like] of queries) {
    if (ctx.signal.aborted) return
    const ours: number[] = []
    const baseline: number[] = []
    for (let i = 0; i < RUNS; i++) {
      let start = performance.now()
      const found = store.searchMessages(searchQuery(typed)!, channelId, 50)
      ours.push(performance.now() - start)
      start = performance.now()
      scan.all(channelId, like)
      baseline.push(performance.now() - start)
      if (found.length === 0) throw new Error(`nothing found for ${typed}`)
    }
    const [o, b] = [sortAscending(ours), sortAscending(baseline)]
    ctx.report({
      figure: `search over ${COUNT.toLocaleString('en')} messages, ${what} ("${typed}"), 50 newest results: median / p95`,
      value: `${fmt(median(o), 2)} / ${fmt(percentile(o, 95), 2)} ms`,
      baseline: `scanning every message (LIKE) ${fmt(median(b), 1)} / ${fmt(percentile(b, 95), 1)} ms`,
      ratio: ratioText(median(o), median(b), 3),
      target: `< ${TARGET_MS} ms`,
      met: met(percentile(o, 95) < TARGET_MS)
    })
  }
}

export const searchScenario: Scenario = {
  name: 'search',
  about: 'messages.search over 100,000 messages (full-text index) vs scanning every message',
  timeoutMs: 300_000,
  run
}
