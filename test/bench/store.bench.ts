// Store figures: insert throughput with FTS, the unified inbox with 10,000 chats,
// opening a chat with 100,000 messages, and full-text search over 1,000,000 messages.

import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Store } from '../../src/main/core/store'
import type { IncomingMessage } from '../../src/main/networks/connector'
import { medianP95, rate, timeIt, type Row } from './table'

// A small vocabulary with a skewed (Zipf-like) distribution, so common words are common.
const WORDS = (
  'the be to of and a in that have I it for not on with he as you do at this but his by from they we say her she or an will my one all would there ' +
  'their what so up out if about who get which go me when make can like time no just him know take people into year your good some could them see ' +
  'other than then now look only come its over think also back after use two how our work first well way even new want because any these give day ' +
  'most us lunch meeting report project deadline coffee weekend flight hotel invoice birthday dinner train ticket photo video call tomorrow tonight ' +
  'kyoto osaka tokyo berlin paris london sushi ramen pizza football concert museum doctor dentist garden kitchen bicycle umbrella quarterly budget'
).split(' ')

function makeRandom(seed: number): () => number {
  let s = seed >>> 0
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32)
}

function sentence(rand: () => number): string {
  const n = 3 + Math.floor(rand() * 12)
  const out: string[] = []
  for (let i = 0; i < n; i++) out.push(WORDS[Math.floor(WORDS.length * rand() ** 2.2)]!)
  return out.join(' ')
}

export async function benchStore(options: { searchMessages: number }): Promise<Row[]> {
  const rows: Row[] = []
  const dir = mkdtempSync(join(tmpdir(), 'junction-bench-'))
  const store = Store.open(join(dir, 'bench.db'))
  const rand = makeRandom(42)
  try {
    const accounts = ['whatsapp', 'line', 'skype'].map((network, i) =>
      store.accounts.insert({ network: network as 'whatsapp', selfId: `me-${i}`, displayName: `Me ${i}`, sealedCredentials: new Uint8Array(1), now: 1 }).id
    )

    // 10,000 chats across three accounts, each with a last message.
    const chatIds: number[] = []
    store.transaction(() => {
      for (let i = 0; i < 10_000; i++) {
        const accountId = accounts[i % 3]!
        const id = store.chats.upsert(accountId, { remoteId: `chat-${i}`, kind: i % 7 ? 'direct' : 'group', title: `Chat ${i}`, unread: i % 5 }).id
        const m = store.messages.upsert(id, accountId, { chatRemoteId: `chat-${i}`, remoteId: `last-${i}`, senderId: 'x', fromMe: false, timestamp: 1_700_000_000_000 + Math.floor(rand() * 1e9), kind: 'text', text: sentence(rand) })
        store.chats.noteMessage(id, Number(m.message.id), m.message.timestamp)
        chatIds.push(id)
      }
    })
    const inbox = timeIt(() => {
      store.chats.inbox({ filter: { kind: 'all' }, limit: 50, after: null })
      store.chats.totalUnread()
    }, 200)
    rows.push({ area: 'store', measurement: 'unified inbox, first page (50) of 10,000 chats + unread total', value: medianP95(inbox) })

    // Insert throughput: batched as sync and history arrive (one transaction per batch of 500).
    const bigChat = chatIds[0]!
    const bigAccount = accounts[0]!
    const insertCount = 100_000
    const t0 = process.hrtime.bigint()
    for (let b = 0; b < insertCount / 500; b++) {
      store.transaction(() => {
        for (let i = 0; i < 500; i++) {
          const n = b * 500 + i
          const m: IncomingMessage = { chatRemoteId: 'chat-0', remoteId: `big-${n}`, senderId: n % 2 ? 'me-0' : 'bob', fromMe: n % 2 === 1, timestamp: 1_600_000_000_000 + n * 1000, kind: 'text', text: sentence(rand) }
          store.messages.upsert(bigChat, bigAccount, m)
        }
      })
    }
    const insertSeconds = Number(process.hrtime.bigint() - t0) / 1e9
    rows.push({ area: 'store', measurement: 'insert throughput (upsert + FTS, 500 per transaction)', value: rate(insertCount / insertSeconds, 'messages/s'), note: `${insertCount.toLocaleString('en')} messages in ${insertSeconds.toFixed(1)} s` })

    const open = timeIt(() => store.messages.page(bigChat, null, 50), 200)
    rows.push({ area: 'store', measurement: 'open a chat of 100,000 messages (newest 50)', value: medianP95(open) })
    const anchors = store.messages.page(bigChat, null, 50_000).filter((_, i) => i % 997 === 0).map((m) => Number(m.id))
    let k = 0
    const scrollBack = timeIt(() => store.messages.page(bigChat, anchors[k++ % anchors.length]!, 50), 200)
    rows.push({ area: 'store', measurement: 'page 50 older messages from deep in that chat', value: medianP95(scrollBack) })

    // Top up to the search corpus size, spread over the 10,000 chats.
    const target = options.searchMessages
    let have = insertCount + 10_000
    const t1 = process.hrtime.bigint()
    while (have < target) {
      store.transaction(() => {
        for (let i = 0; i < 5_000 && have < target; i++, have++) {
          const c = Math.floor(rand() * chatIds.length)
          store.messages.upsert(chatIds[c]!, accounts[c % 3]!, { chatRemoteId: `chat-${c}`, remoteId: `bulk-${have}`, senderId: 'x', fromMe: false, timestamp: 1_650_000_000_000 + have, kind: 'text', text: sentence(rand) })
        }
      })
    }
    const fillSeconds = Number(process.hrtime.bigint() - t1) / 1e9
    store.db.exec("INSERT INTO messages_fts (messages_fts) VALUES ('optimize')")
    const dbBytes = statSync(join(dir, 'bench.db')).size
    const queries = ['lunch', 'quarterly budget', 'kyoto', 'meeting tomorrow', 'the', 'umbrella garden', 'repo', 'dentist', 'photo', 'zzzznotthere']
    let q = 0
    const search = timeIt(() => store.search.search(queries[q++ % queries.length]!, 50), 200)
    rows.push({
      area: 'store',
      measurement: `full-text search over ${(have / 1e6).toFixed(2)} M messages (50 newest hits, snippets)`,
      value: medianP95(search),
      note: `queries: ${queries.length} words/phrases, common to absent; db ${(dbBytes / 1e6).toFixed(0)} MB; filled at ${rate((have - insertCount - 10_000) / fillSeconds, 'messages/s')}`
    })
    let a = 0
    const scoped = timeIt(() => store.search.search(queries[a % queries.length]!, 50, { accountId: accounts[a++ % 3]! }), 100)
    rows.push({ area: 'store', measurement: 'same search, one account only', value: medianP95(scoped) })
  } finally {
    store.close()
    rmSync(dir, { recursive: true, force: true })
  }
  return rows
}
