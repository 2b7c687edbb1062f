// Ingest's live path: events coalesced into one transaction per event-loop turn, in
// order, committed before the renderer hears of them and before anything else reads.

import BetterSqlite3 from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ApiEvents } from '../../../../src/shared/api'
import { createLogger, type LogRecord } from '../../../../src/main/base/log'
import { Ingest } from '../../../../src/main/core/ingest'
import { Store } from '../../../../src/main/core/store'
import type { ConnectorEvent, IncomingMessage } from '../../../../src/main/networks/connector'
import { tempDir } from '../../../helpers/core-harness'

type Heard = { name: keyof ApiEvents; payload: unknown }

let dir: { path: string; remove(): void }
let store: Store
let ingest: Ingest
let heard: Heard[]
let logs: LogRecord[]
let accountEvents: string[]
let accountId: string
/** A second connection: sees only what is committed. */
let reader: BetterSqlite3.Database
let waiters: Array<{ name: keyof ApiEvents; resolve: () => void }>

const committed = (sql: string): number => (reader.prepare(sql).get() as { n: number }).n
const committedMessages = (): number => committed('SELECT count(*) AS n FROM messages')

function message(remoteId: string, extra: Partial<IncomingMessage> = {}): ConnectorEvent {
  return {
    type: 'message',
    message: {
      chatRemoteId: 'bob',
      remoteId,
      senderId: 'bob',
      senderName: 'Bob',
      fromMe: false,
      timestamp: Number(remoteId.replace(/\D/g, '')) || 1,
      kind: 'text',
      text: `text ${remoteId}`,
      ...extra
    }
  }
}

/** Resolves when the renderer hears `name` (never a sleep). */
function heardNext(name: keyof ApiEvents): Promise<void> {
  return new Promise((resolve) => waiters.push({ name, resolve }))
}

beforeEach(() => {
  dir = tempDir('junction-ingest-')
  store = Store.open(join(dir.path, 'p.db'))
  heard = []
  logs = []
  accountEvents = []
  waiters = []
  ingest = new Ingest(
    store,
    (name, payload) => {
      heard.push({ name, payload })
      for (const w of waiters.splice(0)) {
        if (w.name === name) w.resolve()
        else waiters.push(w)
      }
    },
    { onAccountEvent: (_id, e) => accountEvents.push(`${e.type}@${committedMessages()}`) },
    createLogger((r) => logs.push(r), 'debug'),
    // No early flush by time: a slow test machine must not split a turn's events.
    { maxPending: 10_000, maxDelayMs: Number.POSITIVE_INFINITY, streamWindowMs: 4 }
  )
  accountId = store.accounts.insert({ network: 'line', selfId: 'me', displayName: 'Me', sealedCredentials: new Uint8Array(1), now: 1 }).id
  reader = new BetterSqlite3(join(dir.path, 'p.db'), { readonly: true })
})

afterEach(() => {
  reader.close()
  store.close()
  dir.remove()
})

describe('live ingest', () => {
  it('writes the events of one turn in one transaction and tells the renderer after it committed', async () => {
    const chat = heardNext('chat')
    for (let i = 1; i <= 50; i++) ingest.apply(accountId, message(`m${i}`))
    ingest.apply(accountId, { type: 'cursor', name: 'revision', value: '50' })
    // Queued, not yet committed, and the renderer has heard nothing.
    expect(committedMessages()).toBe(0)
    expect(heard).toEqual([])
    await chat
    expect(committedMessages()).toBe(50)
    expect(committed("SELECT count(*) AS n FROM sync_cursors WHERE value = '50'")).toBe(1)
    // As a sync is heard: every message in order, then the chat once with its final state, then notifications.
    const names = heard.map((h) => h.name)
    expect(names.slice(0, 50)).toEqual(Array(50).fill('message'))
    expect(names[50]).toBe('chat')
    expect(names.slice(51)).toEqual(Array(50).fill('notify'))
    expect(heard.slice(0, 50).map((h) => (h.payload as { remoteId: string }).remoteId)).toEqual(Array.from({ length: 50 }, (_, i) => `m${i + 1}`))
    expect(heard[50]!.payload).toMatchObject({ unread: 50, preview: { text: 'text m50' } })
  })

  it('lets any store read right after apply see the data (the queue is written first)', () => {
    ingest.apply(accountId, message('m1'))
    const chatId = store.chats.idByRemote(accountId, 'bob')
    expect(chatId).toBeDefined()
    expect(store.messages.page(chatId!, null, 10).map((m) => m.remoteId)).toEqual(['m1'])
    expect(committedMessages()).toBe(1)
    expect(heard.map((h) => h.name)).toEqual(['message', 'chat', 'notify'])
  })

  it('commits a cursor only with the messages before it, never ahead of them', () => {
    ingest.apply(accountId, message('m1'))
    ingest.apply(accountId, { type: 'cursor', name: 'revision', value: '1' })
    ingest.apply(accountId, message('m2'))
    expect(committed('SELECT count(*) AS n FROM sync_cursors')).toBe(0)
    ingest.flush()
    expect(committedMessages()).toBe(2)
    expect(store.cursors.all(accountId)).toEqual({ revision: '1' })
  })

  it('keeps the last value of each cursor of a run of messages (one per operation, as LINE sends them)', () => {
    for (let i = 1; i <= 5; i++) {
      ingest.apply(accountId, message(`m${i}`))
      ingest.apply(accountId, { type: 'cursor', name: 'revision', value: String(i) })
      if (i === 2) ingest.apply(accountId, { type: 'cursor', name: 'global', value: 'g2' })
    }
    ingest.flush()
    expect(committedMessages()).toBe(5)
    expect(store.cursors.all(accountId)).toEqual({ revision: '5', global: 'g2' })
  })

  it('skips a bad event and still writes the others, in order', () => {
    ingest.apply(accountId, message('m1'))
    // A message whose kind violates the schema (NOT NULL) fails on its own.
    ingest.apply(accountId, message('m2', { kind: null as unknown as 'text' }))
    ingest.apply(accountId, message('m3'))
    ingest.apply(accountId, { type: 'cursor', name: 'revision', value: '3' })
    ingest.flush()
    expect(store.messages.page(store.chats.idByRemote(accountId, 'bob')!, null, 10).map((m) => m.remoteId)).toEqual(['m1', 'm3'])
    expect(store.cursors.all(accountId)).toEqual({ revision: '3' })
    expect(logs.filter((l) => l.level === 'error').map((l) => l.message)).toEqual(['could not apply connector event'])
    expect(heard.filter((h) => h.name === 'message').map((h) => (h.payload as { remoteId: string }).remoteId)).toEqual(['m1', 'm3'])
  })

  it('hands account events over only after the messages before them are written', () => {
    ingest.apply(accountId, message('m1'))
    ingest.apply(accountId, { type: 'status', status: { state: 'online' } })
    expect(accountEvents).toEqual(['status@1'])
  })

  it('counts unread as one message at a time would: our own message reads the chat', () => {
    ingest.apply(accountId, message('m1'))
    ingest.apply(accountId, message('m2'))
    ingest.apply(accountId, message('m3', { fromMe: true, senderId: 'me' }))
    ingest.apply(accountId, message('m4'))
    ingest.flush()
    expect(store.chats.get(store.chats.idByRemote(accountId, 'bob')!)).toMatchObject({ unread: 1, preview: { text: 'text m4' } })
  })

  it('does not notify for a muted chat, nor for a blocked sender, whose messages are dropped', () => {
    ingest.apply(accountId, message('m1'))
    ingest.flush()
    store.chats.patch(store.chats.idByRemote(accountId, 'bob')!, { muted: true })
    store.contacts.upsert(accountId, { remoteId: 'eve', name: 'Eve', blocked: true })
    heard = []
    ingest.apply(accountId, message('m2'))
    ingest.apply(accountId, message('m3', { senderId: 'eve', chatRemoteId: 'eve' }))
    ingest.flush()
    expect(heard.map((h) => h.name)).toEqual(['message', 'chat'])
    expect(store.chats.idByRemote(accountId, 'eve')).toBeUndefined()
  })

  it('writes what is queued when the store closes', () => {
    ingest.apply(accountId, message('m1'))
    store.close()
    expect(committedMessages()).toBe(1)
  })

  it('writes early when the queue is full, so a long burst neither waits nor grows without bound', () => {
    const bounded = new Ingest(
      store,
      () => {},
      { onAccountEvent: () => {} },
      createLogger(() => {}, 'error'),
      { maxPending: 10, maxDelayMs: Number.POSITIVE_INFINITY, streamWindowMs: 4 }
    )
    for (let i = 1; i <= 25; i++) bounded.apply(accountId, message(`m${i}`))
    expect(committedMessages()).toBe(20)
    bounded.flush()
    expect(committedMessages()).toBe(25)
  })

  it('while a stream runs, lets several socket reads share one transaction', async () => {
    let onChat = (): void => {}
    const streaming = new Ingest(
      store,
      (name) => (heard.push({ name, payload: null }), name === 'chat' && onChat()),
      { onAccountEvent: () => {} },
      createLogger(() => {}, 'error'),
      {
        maxPending: 10_000,
        maxDelayMs: Number.POSITIVE_INFINITY,
        streamWindowMs: 50
      }
    )
    streaming.apply(accountId, message('m1'))
    streaming.flush()
    heard = []
    streaming.apply(accountId, message('m2'))
    await new Promise<void>((resolve) => setImmediate(resolve))
    // The next socket read's turn: m2 still waits for company.
    expect(committedMessages()).toBe(1)
    streaming.apply(accountId, message('m3'))
    const before = heard.length
    await new Promise<void>((resolve) => (onChat = resolve))
    expect(committedMessages()).toBe(3)
    expect(before).toBe(0)
    expect(heard.map((h) => h.name)).toEqual(['message', 'message', 'chat', 'notify', 'notify'])
  })
})

describe('applyAtomically', () => {
  it('writes the queued live events first, then its own writes and events in one transaction', () => {
    ingest.apply(accountId, message('m1'))
    ingest.apply(accountId, { type: 'cursor', name: 'revision', value: '1' })
    let sawQueued = -1
    ingest.applyAtomically(accountId, [message('m2')], () => {
      sawQueued = committedMessages()
      store.keys.put(accountId, 'session', 'bob', new Uint8Array([1]))
    })
    expect(sawQueued).toBe(1)
    expect(committedMessages()).toBe(2)
    expect(heard.filter((h) => h.name === 'message').map((h) => (h.payload as { remoteId: string }).remoteId)).toEqual(['m1', 'm2'])
  })

  it('throws and applies nothing when its writes fail, keeping the queued events', () => {
    ingest.apply(accountId, message('m1'))
    expect(() =>
      ingest.applyAtomically(accountId, [message('m2')], () => {
        throw new Error('sealing failed')
      })
    ).toThrow('sealing failed')
    expect(committedMessages()).toBe(1)
    expect(store.messages.byRemote(store.chats.idByRemote(accountId, 'bob')!, 'm2')).toBeUndefined()
    expect(heard.filter((h) => h.name === 'message')).toHaveLength(1)
  })
})
