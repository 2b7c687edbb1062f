// WhatsApp multi-device figures: Noise transport-frame decrypt against raw node:crypto
// AES-256-GCM on the same bytes, binary node decode/encode throughput, and Signal decrypt
// (libsignal through the KeyStore adapter, commit included) in messages per CPU second, and
// history-sync ingest of a 50,000-message HistorySync blob (inflate, decode, mapping, Core
// ingest into SQLite) against the floor of the same work done by hand.
// Run alone: npx tsx test/bench/whatsapp-md.bench.ts

import { createDecipheriv, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deflateSync, inflateSync } from 'node:zlib'
import { createLogger } from '../../src/main/base/log'
import { Ingest } from '../../src/main/core/ingest'
import { Store } from '../../src/main/core/store'
import type { ConnectorEvent, KeyStore, KeyWrite } from '../../src/main/networks/connector'
import { decodeBinaryNode, encodeBinaryNode, type BinaryNode } from '../../src/main/networks/whatsapp/md/binary'
import { concat, generateKeyPair } from '../../src/main/networks/whatsapp/md/crypto'
import { createCredentials } from '../../src/main/networks/whatsapp/md/credentials'
import { FrameCipher, nonce } from '../../src/main/networks/whatsapp/md/noise'
import { historyChunk } from '../../src/main/networks/whatsapp/md/history'
import { decodeProto, encodeProto, type HistorySync } from '../../src/main/networks/whatsapp/md/proto'
import { buildSession, decryptFrom, encryptFor } from '../../src/main/networks/whatsapp/md/signal/cipher'
import { NS, SignalStore } from '../../src/main/networks/whatsapp/md/signal/store'
import { compare, measure } from './harness'
import { printTable, type Row } from './table'

class MapKeyStore implements KeyStore {
  data = new Map<string, Uint8Array>()
  get(ns: string, key: string): Uint8Array | null {
    return this.data.get(`${ns}/${key}`) ?? null
  }
  list(ns: string): Array<[string, Uint8Array]> {
    return [...this.data].filter(([k]) => k.startsWith(`${ns}/`)).map(([k, v]) => [k.slice(ns.length + 1), v])
  }
  commit(writes: readonly KeyWrite[], _events?: readonly ConnectorEvent[]): void {
    for (const w of writes) {
      if (w.value) this.data.set(`${w.namespace}/${w.key}`, w.value)
      else this.data.delete(`${w.namespace}/${w.key}`)
    }
  }
}

function corpus(): BinaryNode[] {
  const nodes: BinaryNode[] = []
  for (let i = 0; i < 200; i++) {
    const id = `3EB0${randomBytes(9).toString('hex').toUpperCase()}`
    nodes.push({
      tag: 'message',
      attrs: { from: '15557654321@s.whatsapp.net', id, t: String(1_700_000_000 + i), type: 'text', notify: 'Bob' },
      content: [{ tag: 'enc', attrs: { v: '2', type: 'msg' }, content: new Uint8Array(randomBytes(120 + (i % 200))) }]
    })
    nodes.push({ tag: 'receipt', attrs: { id, to: '15557654321@s.whatsapp.net', participant: '123456789012345:12@lid' } })
    nodes.push({ tag: 'iq', attrs: { id: `1.2-${i}`, to: 's.whatsapp.net', type: 'get', xmlns: 'w:p' }, content: [{ tag: 'ping', attrs: {} }] })
  }
  return nodes
}

async function signalRows(): Promise<Row[]> {
  const alice = { creds: createCredentials(), keyStore: new MapKeyStore() }
  const bob = { creds: createCredentials(), keyStore: new MapKeyStore() }
  const aliceStore = new SignalStore(alice.keyStore, () => alice.creds)
  const opk = generateKeyPair()
  bob.keyStore.commit([{ namespace: NS.preKey, key: '1', value: concat(opk.private, opk.public) }])
  const BOB = '15557654321@s.whatsapp.net'
  const ALICE = '15551234567:12@s.whatsapp.net'
  const bodies: Array<{ type: 'pkmsg' | 'msg'; body: Uint8Array }> = []
  await aliceStore.run(async () => {
    await buildSession(aliceStore, BOB, {
      registrationId: bob.creds.registrationId,
      identity: bob.creds.identityKey.public,
      signedPreKey: { id: 1, public: bob.creds.signedPreKey.keyPair.public, signature: bob.creds.signedPreKey.signature },
      preKey: { id: 1, public: opk.public }
    })
    const text = encodeProto('Message', { conversation: 'A typical message of a few dozen characters, as people write them.' })
    for (let i = 0; i < 200; i++) bodies.push(await encryptFor(aliceStore, BOB, text))
    aliceStore.commit()
  })
  const snapshot = new Map(bob.keyStore.data)
  const run = async (): Promise<void> => {
    bob.keyStore.data = new Map(snapshot)
    const store = new SignalStore(bob.keyStore, () => bob.creds)
    for (const b of bodies) {
      await store.run(async () => {
        await decryptFrom(store, ALICE, b.type, b.body)
        store.commit()
      })
    }
  }
  return [
    await measure('whatsapp-md', { name: 'Signal decrypt + KeyStore commit (200-message chain)', unit: 'msg', units: bodies.length, run }, { minMs: 200 })
  ]
}

const HISTORY_CHATS = 500
const HISTORY_PER_CHAT = 100
const OWN = '15551234567@s.whatsapp.net'

/** spec §10.2: one deflated HistorySync of 500 direct chats × 100 text messages, newest first, as a phone sends them. */
function historyBlob(): Uint8Array {
  const words = 'see you at the station tomorrow around ten, bring the tickets and some coffee please'.split(' ')
  const conversations = Array.from({ length: HISTORY_CHATS }, (_, c) => {
    const jid = `1555${String(1_000_000 + c)}@s.whatsapp.net`
    return {
      id: jid,
      unreadCount: c % 3,
      conversationTimestamp: 1_700_000_000 + HISTORY_PER_CHAT * 60,
      messages: Array.from({ length: HISTORY_PER_CHAT }, (_, k) => {
        const i = HISTORY_PER_CHAT - 1 - k
        const fromMe = i % 3 === 0
        return {
          message: {
            key: { remoteJid: jid, fromMe, id: `3EB0${c.toString(16).padStart(6, '0')}${i.toString(16).padStart(6, '0')}`.toUpperCase() },
            message: { conversation: words.slice(0, 4 + ((c + i) % 12)).join(' ') + ` #${i}` },
            messageTimestamp: 1_700_000_000 + i * 60,
            ...(fromMe ? { status: 4 } : {})
          },
          msgOrderId: k + 1
        }
      })
    }
  })
  const pushnames = conversations.map((c, i) => ({ id: c.id, pushname: `Contact ${i}` }))
  return deflateSync(encodeProto('HistorySync', { syncType: 0, conversations, chunkOrder: 0, progress: 100, pushnames }))
}

/**
 * Subject: the client's path for a history chunk (historyChunk: inflate, decode, mapping to
 * events) and Core's (Ingest.applyAtomically: chats, contacts, messages, FTS, in one
 * transaction). Reference: the floor of that work — inflate and protobuf decode of the same
 * bytes, then the same 50,000 rows (+ FTS) and 500 chats inserted by raw better-sqlite3
 * statements in one transaction. Each run writes into a fresh account, so nothing dedupes.
 */
async function historyRows(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'junction-bench-wamd-'))
  const subject = Store.open(join(dir, 'subject.db'))
  const raw = Store.open(join(dir, 'raw.db'))
  try {
    const blob = historyBlob()
    const notification = { syncType: 0, chunkOrder: 0, progress: 100, initialHistBootstrapInlinePayload: blob }
    const ingest = new Ingest(
      subject,
      () => {},
      { onAccountEvent: () => {} },
      createLogger(() => {}, 'error')
    )
    let n = 0
    const account = (store: Store): string =>
      store.accounts.insert({ network: 'whatsapp', selfId: `${OWN}-${++n}`, displayName: 'Me', sealedCredentials: new Uint8Array(1), now: 1 }).id
    const db = raw.db
    const chat = db.prepare(`INSERT INTO chats (account_id, remote_id, kind, title, last_activity, unread) VALUES (?, ?, 'direct', ?, ?, ?)`)
    const insert = db.prepare(
      `INSERT INTO messages (chat_id, account_id, remote_id, client_id, sender_id, sender_name, from_me, timestamp, kind, text, status, media, e2ee, edited, deleted)
       VALUES (?, ?, ?, NULL, ?, ?, ?, ?, 'text', ?, ?, NULL, 1, 0, 0)`
    )
    const fts = db.prepare('INSERT INTO messages_fts (rowid, text) VALUES (?, ?)')
    const rawWrite = db.transaction((accountId: string, sync: HistorySync) => {
      const names = new Map((sync.pushnames ?? []).map((p) => [p.id!, p.pushname!]))
      for (const c of sync.conversations ?? []) {
        const chatId = chat.run(accountId, c.id!, names.get(c.id!) ?? c.id!, Number(c.conversationTimestamp ?? 0) * 1000, c.unreadCount ?? 0).lastInsertRowid
        for (const m of c.messages ?? []) {
          const info = m.message!
          const fromMe = info.key?.fromMe === true
          const text = info.message?.conversation ?? ''
          const id = insert.run(
            chatId,
            accountId,
            info.key!.id!,
            fromMe ? OWN : c.id!,
            fromMe ? null : (names.get(c.id!) ?? null),
            fromMe ? 1 : 0,
            Number(info.messageTimestamp ?? 0) * 1000,
            text,
            fromMe ? 'read' : 'delivered'
          ).lastInsertRowid
          fts.run(id, text)
        }
      }
    })
    const units = HISTORY_CHATS * HISTORY_PER_CHAT
    const options = { rounds: 5, minMs: 1 }
    const row = await compare(
      'whatsapp-md',
      {
        name: `history-sync ingest, ${units.toLocaleString('en')} messages in one chunk (${(blob.length / 1e6).toFixed(1)} MB deflated): historyChunk + Ingest.applyAtomically`,
        unit: 'msg',
        units,
        run: () => {
          const chunk = historyChunk(notification, OWN, Date.now())!
          ingest.applyAtomically(account(subject), chunk.events, () => {})
        }
      },
      {
        name: 'inflate + HistorySync decode + raw better-sqlite3 insert of the same rows, FTS5, one transaction',
        unit: 'msg',
        units,
        run: () => rawWrite(account(raw), decodeProto<HistorySync>('HistorySync', inflateSync(blob)))
      },
      options
    )
    // Both sides stored every message of every run (a run that stored less would look fast).
    const stored = (store: Store): number => (store.db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n
    if (stored(subject) % units !== 0 || stored(raw) % units !== 0 || stored(subject) === 0)
      throw new Error(`history ingest stored ${stored(subject)} / ${stored(raw)} messages, not whole runs of ${units}`)
    return [row]
  } finally {
    subject.close()
    raw.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function benchWhatsAppMd(): Promise<Row[]> {
  const rows: Row[] = []
  const key = new Uint8Array(randomBytes(32))
  for (const size of [256, 16 * 1024]) {
    const plaintexts = Array.from({ length: 64 }, () => new Uint8Array(randomBytes(size)))
    const sender = new FrameCipher(key, new Uint8Array(32))
    const frames = plaintexts.map((p) => sender.encrypt(p))
    const total = frames.reduce((n, f) => n + f.length, 0)
    rows.push(
      await compare(
        'whatsapp-md',
        {
          name: `Noise frame decrypt, ${size >= 1024 ? `${size / 1024} KiB` : `${size} B`} frames`,
          unit: 'MB',
          units: total,
          run: () => {
            const receiver = new FrameCipher(new Uint8Array(32), key)
            for (const f of frames) receiver.decrypt(f)
          }
        },
        {
          name: 'raw node:crypto AES-256-GCM',
          unit: 'MB',
          units: total,
          run: () => {
            frames.forEach((f, i) => {
              const d = createDecipheriv('aes-256-gcm', key, nonce(i))
              d.setAuthTag(f.subarray(f.length - 16))
              d.update(f.subarray(0, f.length - 16))
              d.final()
            })
          }
        },
        { goal: 0.8, rounds: 7, minMs: 100 }
      )
    )
  }
  const nodes = corpus()
  const encoded = nodes.map((n) => encodeBinaryNode(n))
  const bytes = encoded.reduce((n, b) => n + b.length, 0)
  rows.push(
    await measure('whatsapp-md', {
      name: 'decodeBinaryNode (messages, receipts, iqs)',
      unit: 'MB',
      units: bytes,
      run: () => void encoded.forEach((b) => decodeBinaryNode(b))
    })
  )
  rows.push(
    await measure('whatsapp-md', {
      name: 'encodeBinaryNode (same corpus)',
      unit: 'MB',
      units: bytes,
      run: () => void nodes.forEach((n) => encodeBinaryNode(n))
    })
  )
  rows.push(...(await signalRows()))
  rows.push(...(await historyRows()))
  return rows
}

if (process.argv[1]?.endsWith('whatsapp-md.bench.ts')) {
  benchWhatsAppMd().then(printTable, (error: unknown) => {
    process.stderr.write(`bench failed: ${String(error instanceof Error ? error.stack : error)}\n`)
    process.exit(1)
  })
}
