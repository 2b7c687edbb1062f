// WhatsApp multi-device figures: Noise transport-frame decrypt against raw node:crypto
// AES-256-GCM on the same bytes, binary node decode/encode throughput, and Signal decrypt
// (libsignal through the KeyStore adapter, commit included) in messages per CPU second.
// History-sync ingest is not measured: history sync is not implemented yet.
// Run alone: npx tsx test/bench/whatsapp-md.bench.ts

import { createDecipheriv, randomBytes } from 'node:crypto'
import type { ConnectorEvent, KeyStore, KeyWrite } from '../../src/main/networks/connector'
import { decodeBinaryNode, encodeBinaryNode, type BinaryNode } from '../../src/main/networks/whatsapp/md/binary'
import { concat, generateKeyPair } from '../../src/main/networks/whatsapp/md/crypto'
import { createCredentials } from '../../src/main/networks/whatsapp/md/credentials'
import { FrameCipher, nonce } from '../../src/main/networks/whatsapp/md/noise'
import { encodeProto } from '../../src/main/networks/whatsapp/md/proto'
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
  rows.push({ area: 'whatsapp-md', measurement: 'history-sync ingest, 50,000 messages', value: 'not measured', note: 'history sync is not implemented yet' })
  return rows
}

if (process.argv[1]?.endsWith('whatsapp-md.bench.ts')) {
  benchWhatsAppMd().then(printTable, (error: unknown) => {
    process.stderr.write(`bench failed: ${String(error instanceof Error ? error.stack : error)}\n`)
    process.exit(1)
  })
}
