// Downloaded history chunks (spec §10.1): a HISTORY_SYNC_NOTIFICATION without an inline payload
// names a blob at `directPath`, encrypted like media with "WhatsApp History Keys" and verified
// as §8.4 says (MAC, fileSha256, fileEncSha256), then zlib-inflated like an inline one. The
// notification itself is staged in the KeyStore with the message that carried it, so the
// message is acknowledged only once the chunk cannot be lost; the download runs afterwards,
// outside the Signal queue, and the chunk's events and media references commit together with
// the removal of that record. A download that fails for a reason that may pass (network,
// no connection) leaves the record for the next connection; a blob that is gone or damaged is
// dropped, and its progress still counts, so the login's wait for 100 % does not hang.
// One downloader per Signal store (so per account, across connections): never two passes at once.

import { JunctionError } from '../../../../shared/errors'
import type { IncomingMessage } from '../../connector'
import type { Logger } from '../../../base/log'
import type { KeyWrite } from '../../connector'
import { decodeHistoryBlob, historyOf, type HistoryChunk } from './history'
import type { LidLookup } from './lid'
import type { HistorySyncNotification } from './proto'
import type { SignalStore } from './signal/store'

/** KeyStore namespace of chunks still to download, by `chunkOrder|message id`. */
export const HISTORY_PENDING_NS = 'wamd.history-pending'

/** What the download needs (JSON, bytes as base64). */
interface PendingChunk {
  mediaKey: string
  directPath: string
  fileSha256?: string
  fileEncSha256?: string
  fileLength?: number
  progress?: number
}

/** The blob reference `MdMedia.downloadBlob` takes. */
export interface BlobRef {
  mediaKey?: Uint8Array
  directPath?: string
  fileSha256?: Uint8Array
  fileEncSha256?: Uint8Array
  fileSizeBytes?: number
}

const b64 = (b: Uint8Array | undefined): string | undefined => (b?.length ? Buffer.from(b).toString('base64') : undefined)
const unb64 = (s: string | undefined): Uint8Array | undefined => (s ? new Uint8Array(Buffer.from(s, 'base64')) : undefined)

/** The record of a chunk to download, or null when the notification names no usable blob. */
export function pendingChunkWrite(messageId: string, n: HistorySyncNotification): KeyWrite | null {
  if (!n.directPath || n.mediaKey?.length !== 32) return null
  const sha = b64(n.fileSha256)
  const encSha = b64(n.fileEncSha256)
  const pending: PendingChunk = {
    mediaKey: b64(n.mediaKey)!,
    directPath: n.directPath,
    ...(sha ? { fileSha256: sha } : {}),
    ...(encSha ? { fileEncSha256: encSha } : {}),
    ...(n.fileLength ? { fileLength: Number(n.fileLength) } : {}),
    ...(n.progress !== undefined && n.progress !== null ? { progress: Number(n.progress) } : {})
  }
  // Sorted by chunk order, so chunks are ingested in the phone's order whatever order they came in.
  const key = `${String(Number(n.chunkOrder ?? 0)).padStart(10, '0')}|${messageId}`
  return { namespace: HISTORY_PENDING_NS, key, value: new TextEncoder().encode(JSON.stringify(pending)) }
}

export interface HistoryDownloadDeps {
  download(ref: BlobRef): Promise<Uint8Array>
  ownJid(): string
  /** PN↔LID pairs learnt before (spec §6.9), so LID authors read as phone numbers. */
  lids?: LidLookup
  /** A chunk was committed (its events are in the KeyStore): progress, push name. */
  onChunk(chunk: HistoryChunk): void
  log: Logger
  now?(): number
}

/** A failure that may pass: keep the record and try on the next connection. */
function transient(error: unknown): boolean {
  if (!(error instanceof JunctionError)) return true
  return error.code === 'network' || error.code === 'unavailable' || error.code === 'timeout' || error.retryable === true
}

export class HistoryDownloads {
  private running: Promise<void> | null = null
  private again = false
  private d: HistoryDownloadDeps | null = null

  private constructor(private readonly store: SignalStore) {}

  private static readonly byStore = new WeakMap<SignalStore, HistoryDownloads>()

  static of(store: SignalStore): HistoryDownloads {
    let downloads = HistoryDownloads.byStore.get(store)
    if (!downloads) HistoryDownloads.byStore.set(store, (downloads = new HistoryDownloads(store)))
    return downloads
  }

  /** Downloads and ingests every pending chunk, one at a time; calls while running queue one more pass (with the newest deps). */
  run(deps: HistoryDownloadDeps): Promise<void> {
    this.d = deps
    if (this.running) {
      this.again = true
      return this.running
    }
    if (!this.store.list(HISTORY_PENDING_NS).length) return Promise.resolve()
    this.running = (async () => {
      do {
        this.again = false
        await this.pass(this.d!)
      } while (this.again)
    })().finally(() => {
      this.running = null
    })
    return this.running
  }

  /** Applies the writes and events in one KeyStore transaction, in the Signal queue (so between two messages). */
  private commit(writes: KeyWrite[], events: HistoryChunk['events'] = []): Promise<void> {
    return this.store.run(async () => {
      for (const w of writes) this.store.stage(w.namespace, w.key, w.value)
      this.store.commit(events)
    })
  }

  private async pass(d: HistoryDownloadDeps): Promise<void> {
    const entries = this.store.list(HISTORY_PENDING_NS).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    for (const [key, raw] of entries) {
      let pending: PendingChunk
      try {
        pending = JSON.parse(new TextDecoder().decode(raw)) as PendingChunk
      } catch {
        await this.commit([{ namespace: HISTORY_PENDING_NS, key, value: null }])
        continue
      }
      const done: KeyWrite = { namespace: HISTORY_PENDING_NS, key, value: null }
      let chunk: HistoryChunk
      try {
        const ref: BlobRef = { mediaKey: unb64(pending.mediaKey), directPath: pending.directPath }
        const sha = unb64(pending.fileSha256)
        const encSha = unb64(pending.fileEncSha256)
        if (sha) ref.fileSha256 = sha
        if (encSha) ref.fileEncSha256 = encSha
        if (pending.fileLength) ref.fileSizeBytes = pending.fileLength
        const blob = await d.download(ref)
        chunk = historyOf(decodeHistoryBlob(blob), pending.progress, d.ownJid(), d.now?.() ?? Date.now(), d.lids)
      } catch (error) {
        const code = error instanceof JunctionError ? error.code : 'error'
        if (transient(error)) {
          d.log.warn({ error: code }, 'a WhatsApp history chunk could not be downloaded; trying again on the next connection')
          return
        }
        d.log.warn({ error: code }, 'a WhatsApp history chunk could not be read; skipped')
        await this.commit([done])
        d.onChunk({ events: [], writes: [], progress: Math.max(0, Math.min(100, pending.progress ?? 100)) })
        continue
      }
      await this.commit([...chunk.writes, done], chunk.events)
      d.onChunk(chunk)
    }
  }
}

/** What a connection offers the downloads: where committed chunks are reported (inbound.ts). */
export interface HistoryListener {
  download: HistoryDownloadDeps['download']
  ownJid(): string
  lids?: LidLookup
  log: Logger
  onPushName(name: string): void
  onMessages(messages: IncomingMessage[]): void
  onHistory(progress: number): void
}

/** Starts (or queues) a pass over the pending chunks; failures are logged, never thrown. */
export function resumeHistory(store: SignalStore, l: HistoryListener): void {
  void HistoryDownloads.of(store)
    .run({
      download: l.download,
      ownJid: l.ownJid,
      ...(l.lids ? { lids: l.lids } : {}),
      log: l.log,
      onChunk: (chunk) => {
        if (chunk.ownPushName) l.onPushName(chunk.ownPushName)
        l.onMessages(chunk.events.flatMap((e) => (e.type === 'message' ? [e.message] : [])))
        l.onHistory(chunk.progress)
      }
    })
    .catch((error: unknown) => l.log.warn({ error: error instanceof JunctionError ? error.code : 'error' }, 'WhatsApp history chunks could not be stored'))
}
