// Skype photos and files (issue 12 §2) on MSNP24: the object goes to the AMS store first
// (media-ams.ts), then one SDG carries its `<URIObject>` (media-uriobject.ts, spec §6.5
// `RichText/UriObject` / `RichText/Media_GenericFile`). Which object a message names is kept in
// the Connector key store (connector.ts `KeyStore`, as WhatsApp keeps its media references),
// so a photo from yesterday still downloads after a restart. A send keeps its object by client
// id too: a retry neither creates nor uploads it again, and its Client-Message-ID is the same,
// so the server keeps the message once (§6.4).

import { JunctionError } from '../../../shared/errors'
import type { FileDraft, OutgoingDraft } from '../../../shared/model'
import type { Logger } from '../../base/log'
import type { KeyStore, MediaBytes, MediaStream, SendOptions, SendResult } from '../connector'
import { fetchSkypeToken } from './avatars'
import type { SkypeAccount } from './connection'
import { clientMessageIdFor } from './crypto'
import type { InboundMedia } from './inbound'
import { AmsClient } from './media-ams'
import { fileBody, isObjectId, pictureBody, type UriObjectKind } from './media-uriobject'
import { TEXT_CONTENT_TYPE } from './msnp/messaging'
import type { SendContext } from './outbound'
import { messageKey } from './translate'

/** The largest photo or file Junction sends to Skype; the declared `maxUploadBytes`. */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024

const NAMESPACE = 'skype-media'

/** What `fetchMedia` needs of a message: its object and what kind of view to ask for. */
export interface MediaRef {
  objectId: string
  kind: UriObjectKind
  mime: string
}

interface SentObject {
  objectId: string
  uploaded: boolean
}

/** The key store's records: message → object, and client id → the object its send made. */
class MediaRefs {
  constructor(private readonly store: KeyStore) {}

  remember(chatRemoteId: string, messageRemoteId: string, ref: MediaRef): void {
    const key = JSON.stringify(['m', chatRemoteId, messageRemoteId])
    const value = JSON.stringify(ref)
    // A redelivery or the echo of our own send names the same object: no write.
    if (this.read(key) === value) return
    this.store.commit([{ namespace: NAMESPACE, key, value: Buffer.from(value, 'utf8') }])
  }

  lookup(chatRemoteId: string, messageRemoteId: string): MediaRef | undefined {
    const raw = this.read(JSON.stringify(['m', chatRemoteId, messageRemoteId]))
    const ref = raw === undefined ? undefined : (safeJson(raw) as Partial<MediaRef> | undefined)
    if (!ref || typeof ref.objectId !== 'string' || !isObjectId(ref.objectId) || (ref.kind !== 'image' && ref.kind !== 'file') || typeof ref.mime !== 'string')
      return undefined
    return { objectId: ref.objectId, kind: ref.kind, mime: ref.mime }
  }

  sentObject(clientId: string): SentObject | undefined {
    const raw = this.read(JSON.stringify(['s', clientId]))
    const rec = raw === undefined ? undefined : (safeJson(raw) as Partial<SentObject> | undefined)
    return rec && typeof rec.objectId === 'string' && isObjectId(rec.objectId) ? { objectId: rec.objectId, uploaded: rec.uploaded === true } : undefined
  }

  noteSent(clientId: string, rec: SentObject): void {
    this.store.commit([{ namespace: NAMESPACE, key: JSON.stringify(['s', clientId]), value: Buffer.from(JSON.stringify(rec), 'utf8') }])
  }

  private read(key: string): string | undefined {
    const value = this.store.get(NAMESPACE, key)
    return value ? Buffer.from(value).toString('utf8') : undefined
  }
}

/** The AMS client of one account session: its Skype token (spec §10.4) is fetched once, and again after a 401. */
function openAmsClient(account: SkypeAccount): AmsClient {
  return new AmsClient({
    amsUrl: account.config.amsUrl,
    timeoutMs: account.config.requestTimeoutMs,
    skypeToken: async () => {
      if (account.auth.credentials.method !== 'browser')
        throw new JunctionError('unsupported', 'Only a Skype account signed in with Microsoft has pictures and files.')
      return fetchSkypeToken(account.config, await account.auth.token('skype'))
    }
  })
}

/** What the inbound path needs (inbound.ts): the AMS base, and a place for each message's object that never fails a message. */
function inboundMedia(refs: MediaRefs, amsUrl: string, log: Logger): InboundMedia {
  return {
    amsUrl,
    remember: (chat, message, ref) => {
      try {
        refs.remember(chat, message, ref)
      } catch (error) {
        log.warn({ error }, 'skype media reference not kept')
      }
    }
  }
}

/** A photo or a file to send, in one shape. */
interface MediaItem {
  kind: UriObjectKind
  name: string
  mime: string
  bytes: Uint8Array
  width?: number
  height?: number
}

function itemOfImage(draft: Extract<OutgoingDraft, { kind: 'image' }>): MediaItem {
  const ext = /^image\/(png|gif|webp|jpeg)$/.exec(draft.mime)?.[1]?.replace('jpeg', 'jpg') ?? 'jpg'
  return {
    kind: 'image',
    // The picture's own file name where it came from a file; a pasted one has none.
    name: draft.name ?? `image.${ext}`,
    mime: draft.mime,
    bytes: decodeBase64(draft.dataBase64),
    ...(draft.width && draft.height ? { width: draft.width, height: draft.height } : {})
  }
}

function itemOfFile(draft: FileDraft): MediaItem {
  const bytes = decodeBase64(draft.dataBase64)
  if (bytes.length !== draft.size) throw new JunctionError('invalid-argument', 'The file changed while it was being sent.')
  return { kind: 'file', name: draft.name, mime: draft.mime, bytes }
}

interface MediaSendContext extends SendContext {
  ams: AmsClient
  refs: MediaRefs
}

/** Uploads (once per client id) and sends the URIObject; resolves once the server took the SDG. */
async function sendMedia(chatRemoteId: string, clientId: string, item: MediaItem, ctx: MediaSendContext, options?: SendOptions): Promise<SendResult> {
  const { session, ams, refs } = ctx
  if (session.dialect !== 'msnp24')
    throw new JunctionError('unsupported', 'Pictures and files are sent on Skype (MSNP24) accounts only.', {
      reason: { code: 'refused', params: { what: 'attachment-kind', kind: item.kind } }
    })
  if (item.bytes.length > MAX_UPLOAD_BYTES)
    throw new JunctionError('invalid-argument', 'Skype does not take files this large.', { reason: { code: 'refused', params: { what: 'attachment-size' } } })
  let sent = refs.sentObject(clientId)
  if (!sent) {
    sent = { objectId: await ams.create(item.kind, chatRemoteId, item.name), uploaded: false }
    refs.noteSent(clientId, sent)
  }
  if (!sent.uploaded) {
    await ams.upload(item.kind, sent.objectId, item.bytes, options?.onProgress)
    sent = { ...sent, uploaded: true }
    refs.noteSent(clientId, sent)
  } else {
    options?.onProgress?.(item.bytes.length, item.bytes.length)
  }
  const draft = {
    objectUrl: ams.objectUrl(sent.objectId),
    objectId: sent.objectId,
    name: item.name,
    size: item.bytes.length,
    ...(item.width && item.height ? { width: item.width, height: item.height } : {})
  }
  const cmid = clientMessageIdFor(clientId)
  ctx.inbound.rememberSent(cmid, clientId)
  await session.sendMessaging({
    to: chatRemoteId,
    clientMessageId: cmid,
    messageType: item.kind === 'image' ? 'RichText/UriObject' : 'RichText/Media_GenericFile',
    displayName: ctx.displayName,
    contentType: TEXT_CONTENT_TYPE,
    body: item.kind === 'image' ? pictureBody(draft) : fileBody(draft)
  })
  const remoteId = messageKey(session.selfAddress, cmid)
  refs.remember(chatRemoteId, remoteId, { objectId: sent.objectId, kind: item.kind, mime: item.mime })
  return { remoteId, timestamp: ctx.now(), status: 'sent' }
}

/** The bytes of a message's object, from the reference kept when it arrived or was sent. */
async function fetchMessageMedia(refs: MediaRefs, ams: AmsClient, chatRemoteId: string, messageRemoteId: string): Promise<MediaBytes | MediaStream> {
  const ref = refs.lookup(chatRemoteId, messageRemoteId)
  if (!ref) throw new JunctionError('not-found', 'Skype named no file Junction can download for this message.')
  return ams.download(ref.kind, ref.objectId, ref.mime)
}

/**
 * What the Connector holds for photos and files: the key store's references and one AMS client
 * per account session (its Skype token fetched once, and again after a 401).
 */
export class SkypeMedia {
  private readonly refs: MediaRefs
  private ams: { account: SkypeAccount; client: AmsClient } | null = null

  constructor(
    keyStore: KeyStore,
    private readonly log: Logger
  ) {
    this.refs = new MediaRefs(keyStore)
  }

  /** MSNP24 only: each incoming photo's or file's object is kept before its message goes out. */
  attach(account: SkypeAccount): void {
    account.inbound.media = inboundMedia(this.refs, account.config.amsUrl, this.log)
  }

  sendImage(
    account: SkypeAccount | null,
    chatRemoteId: string,
    clientId: string,
    draft: Extract<OutgoingDraft, { kind: 'image' }>,
    ctx: SendContext,
    options?: SendOptions
  ) {
    return sendMedia(chatRemoteId, clientId, itemOfImage(draft), { ...ctx, ams: this.client(account), refs: this.refs }, options)
  }

  sendFile(account: SkypeAccount | null, chatRemoteId: string, clientId: string, draft: FileDraft, ctx: SendContext, options?: SendOptions) {
    return sendMedia(chatRemoteId, clientId, itemOfFile(draft), { ...ctx, ams: this.client(account), refs: this.refs }, options)
  }

  fetch(account: SkypeAccount | null, chatRemoteId: string, messageRemoteId: string): Promise<MediaBytes | MediaStream> {
    return fetchMessageMedia(this.refs, this.client(account), chatRemoteId, messageRemoteId)
  }

  private client(account: SkypeAccount | null): AmsClient {
    if (!account) throw new JunctionError('unavailable', 'The Skype account is not connected right now.')
    if (this.ams?.account === account) return this.ams.client
    const client = openAmsClient(account)
    this.ams = { account, client }
    return client
  }
}

function decodeBase64(data: string): Uint8Array {
  return new Uint8Array(Buffer.from(data, 'base64'))
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
