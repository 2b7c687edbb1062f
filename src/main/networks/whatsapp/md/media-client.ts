// The Connector's media calls (spec §8) over media.ts: `fetchMedia` from the stored reference,
// and the contents of an image or document send (upload first, then the message). The upload
// host list comes from media_conn, cached for its ttl and refreshed once after a failed upload.

import { JunctionError } from '../../../../shared/errors'
import type { FileDraft, OutgoingDraft } from '../../../../shared/model'
import type { KeyStore, MediaBytes, SendOptions } from '../../connector'
import type { MediaType } from '../media-crypto'
import type { BinaryNode } from './binary'
import type { WhatsAppMdConfig } from './config'
import {
  decodeRef,
  documentContent,
  downloadMedia,
  encodeRef,
  imageContent,
  MEDIA_NS,
  MediaConnCache,
  mediaKeyOf,
  refOfContent,
  uploadMedia,
  type MediaHttp,
  type MediaRef,
  type Uploaded
} from './media'
import { mediaRetryReceipt, MediaRetryWaiters, openMediaRetry } from './media-retry'
import type { WAMessage } from './proto'
import type { MdSession } from './session'

/** What WhatsApp takes (spec §8.3 leaves the limit to the server; 100 MB is the documented document limit). */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024

export class MdMedia {
  private readonly conn = new MediaConnCache()

  private readonly retries = new MediaRetryWaiters()

  constructor(
    private readonly keyStore: KeyStore,
    private readonly config: WhatsAppMdConfig,
    private readonly session: () => MdSession | null,
    /** Our phone number's user JID, where a re-upload request goes (spec §8.5). */
    private readonly ownUser: () => string = () => ''
  ) {}

  /** A `mediaretry` notification (spec §8.5); false when no fetch waits for it. */
  retryArrived(n: BinaryNode): boolean {
    return this.retries.deliver(n)
  }

  private http(): MediaHttp {
    return {
      mediaHost: this.config.mediaHost ?? null,
      origin: this.config.origin,
      timeoutMs: Math.max(this.config.requestTimeoutMs, 30_000),
      maxBytes: this.config.maxMediaBytes
    }
  }

  private live(): MdSession {
    const s = this.session()
    if (!s) throw new JunctionError('unavailable', 'WhatsApp is not connected right now.')
    return s
  }

  /** spec §8.4: the stored reference of a message, downloaded and verified now. */
  async fetch(chatRemoteId: string, messageRemoteId: string, chat: string): Promise<MediaBytes> {
    const raw = this.keyStore.get(MEDIA_NS, mediaKeyOf(chat, messageRemoteId)) ?? this.keyStore.get(MEDIA_NS, mediaKeyOf(chatRemoteId, messageRemoteId))
    if (!raw) throw new JunctionError('not-found', 'This WhatsApp message has no file Junction can fetch.')
    const ref = decodeRef(raw)
    // The hosts only matter without a configured media host; no connection is needed then.
    const hosts = this.config.mediaHost ? [] : (await this.conn.get(this.live())).hosts
    try {
      return { mime: ref.mime, bytes: await downloadMedia(ref, hosts, this.http()) }
    } catch (error) {
      if (!(error instanceof JunctionError) || error.code !== 'not-found' || !ref.directPath) throw error
      // spec §8.4–§8.5: expired on the server; our phone uploads it again, then one more download.
      const fresh = await this.reupload(chat, messageRemoteId, ref)
      return { mime: ref.mime, bytes: await downloadMedia(fresh, hosts, this.http()) }
    }
  }

  private async reupload(chat: string, id: string, ref: MediaRef): Promise<MediaRef> {
    const session = this.live()
    const mediaKey = new Uint8Array(Buffer.from(ref.mediaKey, 'base64'))
    const answer = this.retries.wait(id, Math.max(this.config.requestTimeoutMs, 30_000))
    session.send(
      mediaRetryReceipt({ id, chat, fromMe: ref.fromMe === true, ...(ref.participant ? { participant: ref.participant } : {}) }, this.ownUser(), mediaKey)
    )
    const directPath = openMediaRetry(await answer, id, mediaKey)
    const { url: _old, ...rest } = ref
    const fresh: MediaRef = { ...rest, directPath }
    this.keyStore.commit([{ namespace: MEDIA_NS, key: mediaKeyOf(chat, id), value: encodeRef(fresh) }])
    return fresh
  }

  /** spec §9.3: an app-state snapshot or external patch, downloaded and verified like media. */
  async downloadBlob(
    ref: { mediaKey?: Uint8Array; directPath?: string; fileSha256?: Uint8Array; fileEncSha256?: Uint8Array; fileSizeBytes?: number },
    type: MediaType
  ): Promise<Uint8Array> {
    if (!ref.mediaKey || ref.mediaKey.length !== 32 || !ref.directPath) throw new JunctionError('protocol', 'A WhatsApp blob reference has no key or path.')
    const b64 = (b: Uint8Array | undefined): string | undefined => (b?.length ? Buffer.from(b).toString('base64') : undefined)
    const sha = b64(ref.fileSha256)
    const encSha = b64(ref.fileEncSha256)
    const mediaRef = {
      type,
      mime: 'application/octet-stream',
      mediaKey: b64(ref.mediaKey)!,
      directPath: ref.directPath,
      ...(sha ? { fileSha256: sha } : {}),
      ...(encSha ? { fileEncSha256: encSha } : {}),
      ...(ref.fileSizeBytes ? { fileLength: Number(ref.fileSizeBytes) } : {})
    }
    const hosts = this.config.mediaHost ? [] : (await this.conn.get(this.live())).hosts
    return downloadMedia(mediaRef, hosts, this.http())
  }

  /** The whole body goes in one POST: progress is reported at its start and its end. */
  private async upload(bytes: Uint8Array, type: MediaType, options?: SendOptions): Promise<Uploaded> {
    const session = this.live()
    options?.onProgress?.(0, bytes.length)
    let uploaded: Uploaded
    try {
      uploaded = await uploadMedia(bytes, type, await this.conn.get(session), this.http())
    } catch {
      // spec §8.1: an upload failure re-fetches media_conn (Baileys), then one more try.
      uploaded = await uploadMedia(bytes, type, await this.conn.get(session, Date.now(), true), this.http())
    }
    options?.onProgress?.(bytes.length, bytes.length)
    return uploaded
  }

  async imageContent(draft: Extract<OutgoingDraft, { kind: 'image' }>, options?: SendOptions): Promise<WAMessage> {
    const bytes = new Uint8Array(Buffer.from(draft.dataBase64, 'base64'))
    return imageContent(await this.upload(bytes, 'image', options), draft.mime, draft.caption, draft)
  }

  async documentContent(draft: FileDraft, options?: SendOptions): Promise<WAMessage> {
    const bytes = new Uint8Array(Buffer.from(draft.dataBase64, 'base64'))
    if (bytes.length > MAX_UPLOAD_BYTES)
      throw new JunctionError('invalid-argument', 'WhatsApp does not take files this large.', {
        reason: { code: 'refused', params: { what: 'attachment-size' } }
      })
    return documentContent(await this.upload(bytes, 'document', options), draft.mime, draft.name)
  }

  /** Keeps the reference of a sent file, so the sender's own copy can be opened too. */
  remember(chat: string, id: string, content: WAMessage): void {
    const ref = refOfContent(content)
    if (ref) this.keyStore.commit([{ namespace: MEDIA_NS, key: mediaKeyOf(chat, id), value: encodeRef(ref) }])
  }

  forget(): void {
    this.conn.clear()
  }
}
