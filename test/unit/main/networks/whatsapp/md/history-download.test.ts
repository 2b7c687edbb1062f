// Downloaded history chunks (spec §10.1, vector §10.4): the notification of the vector names an
// encrypted blob ("WhatsApp History Keys"); the pending record made from it, downloaded and
// decrypted with the vector's bytes, yields Bob's chat and message and is then removed. A
// failure that may pass keeps the record for the next connection; a damaged blob is dropped.

import { describe, expect, it } from 'vitest'
import type { ConnectorEvent, KeyStore, KeyWrite } from '../../../../../../src/main/networks/connector'
import { decryptMedia } from '../../../../../../src/main/networks/whatsapp/media-crypto'
import { HISTORY_PENDING_NS, HistoryDownloads, pendingChunkWrite, type BlobRef } from '../../../../../../src/main/networks/whatsapp/md/history-download'
import type { HistoryChunk } from '../../../../../../src/main/networks/whatsapp/md/history'
import { decodeProto, type WAMessage } from '../../../../../../src/main/networks/whatsapp/md/proto'
import { SignalStore } from '../../../../../../src/main/networks/whatsapp/md/signal/store'
import { createLogger } from '../../../../../../src/main/base/log'
import { JunctionError } from '../../../../../../src/shared/errors'

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'))

// spec §10.4
const ENCRYPTED = hex(`4cdb72d8b607c41fcad5d2a19d4ebac2b5b0d5d10943e2da85383b0c93ce650e
    6de0a751321c4b249ebb9e544947542d6bd4bfa8b39e3e39bef780f6efea4807
    f94c54f35d2dfd208d7e38fcec0e6cd824280bed66c0e75dea32b73ecec3d585
    5959e6217dc9f68557ba5a1c6fe349bfcfd7f8cd1f51887dcd400be3ef2249da
    342e84e5f9be6aa58112a3d6c6491d31df2177565c36f7b69efe`)
const NOTIFICATION = hex(`62970110053292010a20ffd2c65edd7d8c0aa76b69ad10682381adf616213826
    ea10e3e1ba05a72750d21081011a204b18a8cfbcbf8f4bf2e0101f866ffb63f4
    b4f0acfd1bb4eb1eab09e3400f58712220cf92c47e51583f6ad855876012be2e
    0e93091b14af8014184611dadd8f9d14ba2a212f762f7436322e31353537352d
    32342f686973742e656e633f6363623d31312d34300038014864`)
const OWN = '15551234567@s.whatsapp.net'
const BOB = '15557654321@s.whatsapp.net'

class Store implements KeyStore {
  readonly data = new Map<string, Uint8Array>()
  readonly events: ConnectorEvent[] = []
  get(namespace: string, key: string): Uint8Array | null {
    return this.data.get(`${namespace}\u0000${key}`) ?? null
  }
  list(namespace: string): Array<[string, Uint8Array]> {
    return [...this.data].flatMap(([k, v]) => (k.startsWith(`${namespace}\u0000`) ? [[k.slice(namespace.length + 1), v] as [string, Uint8Array]] : []))
  }
  commit(writes: readonly KeyWrite[], events: readonly ConnectorEvent[] = []): void {
    for (const w of writes) {
      if (w.value === null) this.data.delete(`${w.namespace}\u0000${w.key}`)
      else this.data.set(`${w.namespace}\u0000${w.key}`, w.value)
    }
    this.events.push(...events)
  }
}

function setUp(): { keyStore: Store; downloads: HistoryDownloads; signal: SignalStore } {
  const keyStore = new Store()
  const signal = new SignalStore(keyStore, () => {
    throw new Error('no credentials needed')
  })
  const notification = decodeProto<WAMessage>('Message', NOTIFICATION).protocolMessage!.historySyncNotification!
  const write = pendingChunkWrite('MSG1', notification)!
  keyStore.commit([write])
  return { keyStore, downloads: HistoryDownloads.of(signal), signal }
}

const log = createLogger(() => {}, 'error')
const decrypt = (blob: Uint8Array) => async (ref: BlobRef) =>
  decryptMedia(blob, ref.mediaKey!, 'history', {
    fileSha256: ref.fileSha256 ?? null,
    fileEncSha256: ref.fileEncSha256 ?? null,
    fileLength: ref.fileSizeBytes ?? null
  })

describe('WhatsApp multi-device downloaded history chunks (spec §10.1, §10.4)', () => {
  it('downloads, decrypts and ingests the vector’s chunk, then forgets the record', async () => {
    const { keyStore, downloads } = setUp()
    expect(keyStore.list(HISTORY_PENDING_NS)).toHaveLength(1)
    const refs: BlobRef[] = []
    const chunks: HistoryChunk[] = []
    await downloads.run({
      download: async (ref) => {
        refs.push(ref)
        return decrypt(ENCRYPTED)(ref)
      },
      ownJid: () => OWN,
      onChunk: (c) => chunks.push(c),
      log
    })
    expect(refs[0]!.directPath).toMatch(/hist\.enc/)
    expect(keyStore.list(HISTORY_PENDING_NS)).toEqual([])
    expect(chunks).toHaveLength(1)
    expect(chunks[0]!.progress).toBe(100)
    // What Baileys found in the vector (spec §10.4).
    expect(keyStore.events).toContainEqual(expect.objectContaining({ type: 'chat', chat: expect.objectContaining({ remoteId: BOB, title: 'Bob', unread: 1 }) }))
    expect(keyStore.events).toContainEqual(
      expect.objectContaining({
        type: 'message',
        message: expect.objectContaining({ remoteId: 'A1B2C3D4E5F60718293A4B5C6D7E8F90', text: 'old message', chatRemoteId: BOB })
      })
    )
  })

  it('keeps the record when the download fails for a reason that may pass, and ingests it on the next run', async () => {
    const { keyStore, downloads } = setUp()
    const chunks: HistoryChunk[] = []
    await downloads.run({
      download: async () => {
        throw new JunctionError('network', 'offline')
      },
      ownJid: () => OWN,
      onChunk: (c) => chunks.push(c),
      log
    })
    expect(keyStore.list(HISTORY_PENDING_NS)).toHaveLength(1)
    expect(chunks).toEqual([])
    await downloads.run({ download: decrypt(ENCRYPTED), ownJid: () => OWN, onChunk: (c) => chunks.push(c), log })
    expect(keyStore.list(HISTORY_PENDING_NS)).toEqual([])
    expect(keyStore.events.filter((e) => e.type === 'message')).toHaveLength(1)
  })

  it('drops a blob whose MAC does not verify, reporting its progress so the login does not wait', async () => {
    const { keyStore, downloads } = setUp()
    const damaged = ENCRYPTED.slice()
    damaged[0]! ^= 1
    const chunks: HistoryChunk[] = []
    await downloads.run({ download: decrypt(damaged), ownJid: () => OWN, onChunk: (c) => chunks.push(c), log })
    expect(keyStore.list(HISTORY_PENDING_NS)).toEqual([])
    expect(keyStore.events).toEqual([])
    expect(chunks).toEqual([{ events: [], writes: [], progress: 100 }])
  })
})
