// Store figures, each measured against raw better-sqlite3 in the same run where there is a
// limit to compare with (issue 14): batch ingest (1,000 messages per call, FTS on), live
// ingest through Ingest.apply, the unified inbox with 10,000 chats, opening a chat with
// 100,000 messages, and full-text search over 1,000,000 messages (Latin and CJK).

import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Statement } from 'better-sqlite3'
import { createLogger } from '../../src/main/base/log'
import { Ingest } from '../../src/main/core/ingest'
import { Store } from '../../src/main/core/store'
import type { ConnectorEvent, IncomingMessage } from '../../src/main/networks/connector'
import { compare, latency, measure, type BenchCase } from './harness'
import type { Row } from './table'

// A small vocabulary with a skewed (Zipf-like) distribution, so common words are common.
const WORDS = (
  'the be to of and a in that have I it for not on with he as you do at this but his by from they we say her she or an will my one all would there ' +
  'their what so up out if about who get which go me when make can like time no just him know take people into year your good some could them see ' +
  'other than then now look only come its over think also back after use two how our work first well way even new want because any these give day ' +
  'most us lunch meeting report project deadline coffee weekend flight hotel invoice birthday dinner train ticket photo video call tomorrow tonight ' +
  'kyoto osaka tokyo berlin paris london sushi ramen pizza football concert museum doctor dentist garden kitchen bicycle umbrella quarterly budget'
).split(' ')

// Japanese, Chinese and Korean phrases for the CJK share of the corpus.
const CJK_PHRASES = [
  '明日の会議は十時からです',
  '東京タワーに行きました',
  '今日は寿司を食べたい',
  '週末は京都で紅葉を見る',
  '報告書を送りました',
  '我们明天去北京开会',
  '这个项目的预算',
  '周末一起吃火锅吧',
  '请把照片发给我',
  '上海的天气很好',
  '내일 회의는 열 시입니다',
  '서울에서 만나요',
  '주말에 영화 보자',
  '사진 보내 주세요',
  '점심 뭐 먹을까'
]

function makeRandom(seed: number): () => number {
  let s = seed >>> 0
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32
}

function sentence(rand: () => number): string {
  const n = 3 + Math.floor(rand() * 12)
  const out: string[] = []
  for (let i = 0; i < n; i++) out.push(WORDS[Math.floor(WORDS.length * rand() ** 2.2)]!)
  return out.join(' ')
}

/** 2 % of messages are CJK, some mixed with Latin words. */
function text(rand: () => number): string {
  if (rand() < 0.02) {
    const phrase = CJK_PHRASES[Math.floor(rand() * CJK_PHRASES.length)]!
    return rand() < 0.5 ? phrase : `${phrase} ${sentence(rand)}`
  }
  return sentence(rand)
}

const silent = createLogger(() => {}, 'error')

interface Bench {
  dir: string
  store: Store
  ingest: Ingest
  accounts: string[]
  /** Chat ids by remote id, for the raw reference (it needs no lookups). */
  chatIds: Map<string, number>
  events: number
}

function openBench(dir: string, name: string, chats: number): Bench {
  const store = Store.open(join(dir, name))
  const bench: Bench = { dir, store, ingest: null!, accounts: [], chatIds: new Map(), events: 0 }
  bench.ingest = new Ingest(store, () => void bench.events++, { onAccountEvent: () => {} }, silent)
  bench.accounts = ['whatsapp', 'line', 'skype'].map(
    (network, i) =>
      store.accounts.insert({ network: network as 'whatsapp', selfId: `me-${i}`, displayName: `Me ${i}`, sealedCredentials: new Uint8Array(1), now: 1 }).id
  )
  store.transaction(() => {
    for (let i = 0; i < chats; i++) {
      const id = store.chats.upsert(bench.accounts[0]!, { remoteId: `chat-${i}`, kind: i % 7 ? 'direct' : 'group', title: `Chat ${i}` }).id
      bench.chatIds.set(`chat-${i}`, id)
    }
  })
  return bench
}

/** `n` new messages over `chats` chats of account 0, fresh remote ids each call. */
function batchMaker(rand: () => number, prefix: string, chats: number): (n: number) => IncomingMessage[] {
  let seq = 0
  return (n) => {
    const out: IncomingMessage[] = []
    for (let i = 0; i < n; i++, seq++) {
      const c = Math.floor(rand() * chats)
      out.push({
        chatRemoteId: `chat-${c}`,
        remoteId: `${prefix}-${seq}`,
        senderId: `user-${c}`,
        fromMe: false,
        timestamp: 1_700_000_000_000 + seq,
        kind: 'text',
        text: text(rand)
      })
    }
    return out
  }
}

/** The limit: rows and their FTS content inserted by hand in one transaction (no lookups, no events). */
export function rawWriter(db: Store['db'], account: string, chatIdOf: (remoteId: string) => number): (messages: readonly IncomingMessage[]) => void {
  const insert: Statement = db.prepare(
    `INSERT INTO messages (chat_id, account_id, remote_id, client_id, sender_id, sender_name, from_me, timestamp, kind, text, status, media, e2ee, edited, deleted)
     VALUES (?, ?, ?, NULL, ?, NULL, 0, ?, ?, ?, 'delivered', NULL, 0, 0, 0)`
  )
  const fts: Statement = db.prepare('INSERT INTO messages_fts (rowid, text) VALUES (?, ?)')
  return db.transaction((messages: readonly IncomingMessage[]) => {
    for (const m of messages) {
      const id = insert.run(chatIdOf(m.chatRemoteId), account, m.remoteId, m.senderId, m.timestamp, m.kind, m.text).lastInsertRowid
      fts.run(id, m.text)
    }
  })
}

/** The limit: the same rows and the same FTS content, inserted by hand in one transaction. */
function rawCase(raw: Bench, make: (n: number) => IncomingMessage[], n: number): BenchCase {
  const write = rawWriter(raw.store.db, raw.accounts[0]!, (id) => raw.chatIds.get(id)!)
  return { name: `raw better-sqlite3, ${n} rows + FTS5 in one transaction`, units: n, unit: 'msg', run: () => write(make(n)) }
}

async function ingestRows(dir: string, quick: boolean): Promise<Row[]> {
  const chats = 1_000
  const subject = openBench(dir, 'ingest.db', chats)
  const raw = openBench(dir, 'raw.db', chats)
  const rows: Row[] = []
  try {
    const n = 1_000
    const account = subject.accounts[0]!
    // ~200 distinct chats per 1,000 messages, as in the profile.
    const makeSubject = batchMaker(makeRandom(1), 's', 250)
    const makeRaw = batchMaker(makeRandom(1), 'r', 250)
    const reference = rawCase(raw, makeRaw, n)
    const options = { rounds: quick ? 5 : 7, minMs: quick ? 100 : 300 }
    rows.push(
      await compare(
        'store',
        {
          name: `batch ingest: Ingest.ingestMessages, ${n} per call (FTS, chat updates, renderer events)`,
          units: n,
          unit: 'msg',
          run: () => void subject.ingest.ingestMessages(account, makeSubject(n), false)
        },
        reference,
        { ...options, goal: 0.7 }
      )
    )
    // Live: events from a Connector, coalesced by Ingest into one transaction per socket read.
    const liveCase = (burst: number): BenchCase => ({
      name: `live ingest: Ingest.apply, ${burst} message events per socket read, written at each read's end (unread, notifications)`,
      units: n,
      unit: 'msg',
      run: () => {
        const messages = makeSubject(n)
        for (let i = 0; i < n; i += burst) {
          for (let j = i; j < Math.min(n, i + burst); j++) subject.ingest.apply(account, { type: 'message', message: messages[j]! } satisfies ConnectorEvent)
          subject.ingest.flush()
        }
      }
    })
    rows.push(await compare('store', liveCase(n), reference, { ...options, goal: 0.5 }))
    rows.push(await compare('store', liveCase(20), reference, options))
    // Small socket reads back to back, each in its own event-loop turn: Ingest decides when to write.
    const burst = 20
    rows.push(
      await compare(
        'store',
        {
          name: `live ingest: Ingest.apply, ${burst} events per socket read, reads in separate turns (Ingest's own flush timing)`,
          units: n,
          unit: 'msg',
          run: async () => {
            const messages = makeSubject(n)
            for (let i = 0; i < n; i += burst) {
              for (let j = i; j < Math.min(n, i + burst); j++) subject.ingest.apply(account, { type: 'message', message: messages[j]! })
              await new Promise<void>((resolve) => setImmediate(resolve))
            }
            subject.ingest.flush()
          }
        },
        reference,
        options
      )
    )
  } finally {
    subject.store.close()
    raw.store.close()
  }
  return rows
}

async function readRows(dir: string, searchMessages: number, quick: boolean): Promise<Row[]> {
  const rows: Row[] = []
  const rand = makeRandom(42)
  const b = openBench(dir, 'read.db', 0)
  const { store, ingest, accounts } = b
  try {
    // 10,000 chats across three accounts, each with a last message.
    const chatIds: number[] = []
    for (let i = 0; i < 10_000; i += 1_000) {
      store.transaction(() => {
        for (let j = i; j < i + 1_000; j++) {
          const accountId = accounts[j % 3]!
          chatIds.push(store.chats.upsert(accountId, { remoteId: `chat-${j}`, kind: j % 7 ? 'direct' : 'group', title: `Chat ${j}`, unread: j % 5 }).id)
        }
      })
    }
    for (let a = 0; a < 3; a++) {
      const mine = Array.from({ length: Math.ceil((10_000 - a) / 3) }, (_, k) => a + 3 * k)
      ingest.ingestMessages(
        accounts[a]!,
        mine.map((j) => ({
          chatRemoteId: `chat-${j}`,
          remoteId: `last-${j}`,
          senderId: 'x',
          fromMe: false,
          timestamp: 1_700_000_000_000 + Math.floor(rand() * 1e9),
          kind: 'text',
          text: text(rand)
        })),
        false
      )
    }
    rows.push(
      await measure('store', {
        name: 'unified inbox, first page (50) of 10,000 chats + unread total',
        units: 1,
        unit: 'calls',
        run: () => {
          store.chats.inbox({ filter: { kind: 'all' }, limit: 50, after: null })
          store.chats.totalUnread()
        }
      })
    )

    // One chat of 100,000 messages, then the rest of the search corpus over all chats.
    const bigChat = chatIds[0]!
    for (let batch = 0; batch < 100; batch++) {
      const messages: IncomingMessage[] = []
      for (let i = 0; i < 1_000; i++) {
        const n = batch * 1_000 + i
        messages.push({
          chatRemoteId: 'chat-0',
          remoteId: `big-${n}`,
          senderId: n % 2 ? 'me-0' : 'bob',
          fromMe: n % 2 === 1,
          timestamp: 1_600_000_000_000 + n * 1000,
          kind: 'text',
          text: text(rand)
        })
      }
      ingest.ingestMessages(accounts[0]!, messages, false)
    }
    rows.push(
      await measure('store', {
        name: 'open a chat of 100,000 messages (newest 50)',
        units: 1,
        unit: 'calls',
        run: () => void store.messages.page(bigChat, null, 50)
      })
    )
    const anchors = store.messages
      .page(bigChat, null, 50_000)
      .filter((_, i) => i % 997 === 0)
      .map((m) => Number(m.id))
    let k = 0
    rows.push(
      await measure('store', {
        name: 'page 50 older messages from deep in that chat',
        units: 1,
        unit: 'calls',
        run: () => void store.messages.page(bigChat, anchors[k++ % anchors.length]!, 50)
      })
    )

    let have = 110_000
    const t1 = process.cpuUsage()
    while (have < searchMessages) {
      const perAccount: IncomingMessage[][] = [[], [], []]
      for (let i = 0; i < 5_000 && have < searchMessages; i++, have++) {
        const c = Math.floor(rand() * chatIds.length)
        perAccount[c % 3]!.push({
          chatRemoteId: `chat-${c}`,
          remoteId: `bulk-${have}`,
          senderId: 'x',
          fromMe: false,
          timestamp: 1_650_000_000_000 + have,
          kind: 'text',
          text: text(rand)
        })
      }
      perAccount.forEach((messages, a) => ingest.ingestMessages(accounts[a]!, messages, false))
    }
    const fill = process.cpuUsage(t1)
    const fillRate = (have - 110_000) / ((fill.user + fill.system) / 1e6)
    const queries = [
      'lunch',
      'quarterly budget',
      'kyoto',
      'meeting tomorrow',
      'the',
      'umbrella garden',
      'repo',
      'dentist',
      'photo',
      'zzzznotthere',
      't',
      'b',
      'th'
    ]
    const millions = (have / 1e6).toFixed(2)
    const rounds = quick ? 10 : 20
    const searchAll = queries.map((q) => () => void store.search.search(q, 50))
    // As the app leaves the index (FTS5 automerge only), then after a full 'optimize'.
    rows.push(
      await latency('store', `full-text search over ${millions} M messages, index as ingest left it (no 'optimize')`, searchAll, { rounds, goalP95Ms: 20 })
    )
    store.db.exec("INSERT INTO messages_fts (messages_fts) VALUES ('optimize'); INSERT INTO messages_cjk (messages_cjk) VALUES ('optimize')")
    store.db.pragma('wal_checkpoint(TRUNCATE)')
    const dbBytes = statSync(join(dir, 'read.db')).size
    const sizeOf = (like: string): number =>
      (store.db.prepare('SELECT coalesce(sum(pgsize), 0) AS n FROM dbstat WHERE name LIKE ?').get(like) as { n: number }).n
    const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`
    const cjkRows = (store.db.prepare('SELECT count(*) AS n FROM messages_cjk').get() as { n: number }).n
    const sizes = `db ${mb(dbBytes)}: messages ${mb(sizeOf('messages'))}, messages_fts ${mb(sizeOf('messages_fts%'))}, messages_cjk ${mb(sizeOf('messages_cjk%'))} (${cjkRows.toLocaleString('en')} CJK messages)`
    rows.push(
      await latency('store', `full-text search over ${millions} M messages (50 newest hits, snippets), after 'optimize'`, searchAll, {
        rounds,
        goalP95Ms: 20,
        note: `${queries.length} queries, common words, one-letter prefixes, absent; filled at ${Math.round(fillRate).toLocaleString('en')} msg/s CPU; ${sizes}`
      })
    )
    let a = 0
    rows.push(
      await latency(
        'store',
        'same search, one account only',
        queries.map((q) => () => void store.search.search(q, 50, { accountId: accounts[a++ % 3]! })),
        { rounds, goalP95Ms: 20 }
      )
    )
    const cjkQueries = ['東京', '会議', '日', '北京开会', '预算', '서울', '회의', '寿司 lunch']
    const found = cjkQueries.map((q) => store.search.search(q, 50).length)
    if (found.slice(0, 7).some((n) => n === 0)) throw new Error(`a CJK query found nothing: ${JSON.stringify(found)}`)
    rows.push(
      await latency(
        'store',
        `CJK search over the same corpus (${cjkQueries.length} queries: 東京, 会議, 日, 北京开会, 서울…)`,
        cjkQueries.map((q) => () => void store.search.search(q, 50)),
        {
          rounds,
          goalP95Ms: 20
        }
      )
    )
  } finally {
    store.close()
  }
  return rows
}

export async function benchStore(options: { searchMessages: number }): Promise<Row[]> {
  const quick = process.env.BENCH_QUICK === '1'
  const dir = mkdtempSync(join(tmpdir(), 'junction-bench-'))
  try {
    return [...(await ingestRows(dir, quick)), ...(await readRows(dir, options.searchMessages, quick))]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
