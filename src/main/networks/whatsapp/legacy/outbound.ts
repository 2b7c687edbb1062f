// Sending (spec §6.2 relay): the message id comes from the client id, so a retry is the same
// request and the server drops the copy; the result is `sent` only once the server acked
// this message id. Relays in flight are known by id, so that a receipt that overtakes its
// ack waits for it (inbound.ts). WhatsApp has no emotes: an emote goes out as the text
// Junction shows for it ("* Alice waves"), so the contact reads the same. Pictures and
// documents are uploaded first (upload.ts, spec §7.4) and then relayed the same way.

import type { DraftReply, FileDraft, OutgoingDraft } from '../../../../shared/model'
import type { SendOptions, SendResult } from '../../connector'
import type { MessageIndex } from './message-index'
import { encodeOutgoingMedia, encodeOutgoingText, encodeRevoke, messageIdFor } from './messages'
import type { WASession } from './session'
import type { MediaUploader } from './upload'

/** What the contact reads for a draft; `ownName` is the account's push name. */
export function outgoingText(draft: Extract<OutgoingDraft, { kind: 'text' | 'emote' }>, ownName: string): string {
  return draft.kind === 'emote' ? `* ${ownName} ${draft.text}` : draft.text
}

export class Outbound {
  private readonly inFlight = new Map<string, Promise<unknown>>()

  constructor(
    private readonly index: MessageIndex,
    private readonly uploader: MediaUploader
  ) {}

  /** Settles once the send of this message id has returned; undefined when none is in flight (or just returned). */
  inFlightFor(messageId: string): Promise<unknown> | undefined {
    return this.inFlight.get(messageId)
  }

  async send(
    session: WASession,
    chatRemoteId: string,
    clientId: string,
    draft: OutgoingDraft,
    ownName: string,
    options: SendOptions = {}
  ): Promise<SendResult> {
    if (draft.kind === 'image') {
      // spec §7.4: the picture is uploaded first; its message then goes out like any other, with the page's preview (§7.2).
      const bytes = new Uint8Array(Buffer.from(draft.dataBase64, 'base64'))
      const media = await this.uploader.upload(session, bytes, 'image', draft.mime, options.onProgress)
      return this.relay(
        session,
        chatRemoteId,
        clientId,
        (envelope) => {
          const { thumbnailBase64, width, height } = draft
          return encodeOutgoingMedia({ ...envelope, kind: 'image', caption: draft.caption, preview: { thumbnailBase64, width, height }, media })
        },
        draft.replyTo
      )
    }
    return this.relay(session, chatRemoteId, clientId, (envelope) => encodeOutgoingText({ ...envelope, text: outgoingText(draft, ownName) }), draft.replyTo)
  }

  /** spec §7.2 DocumentMessage: the file's name goes as `fileName` (and `title`, which older phones show). */
  async sendFile(session: WASession, chatRemoteId: string, clientId: string, draft: FileDraft, options: SendOptions = {}): Promise<SendResult> {
    const bytes = new Uint8Array(Buffer.from(draft.dataBase64, 'base64'))
    const media = await this.uploader.upload(session, bytes, 'document', draft.mime, options.onProgress)
    return this.relay(
      session,
      chatRemoteId,
      clientId,
      (envelope) => encodeOutgoingMedia({ ...envelope, kind: 'document', fileName: draft.name, media }),
      draft.replyTo
    )
  }

  /**
   * Deletes an own message for everyone (spec §6.2). The revoke's id derives from the target's,
   * so a retried unsend is the same relay and the server acks it once.
   */
  async unsend(session: WASession, chatRemoteId: string, messageRemoteId: string): Promise<void> {
    await this.relay(session, chatRemoteId, `revoke:${messageRemoteId}`, (envelope) => encodeRevoke({ ...envelope, targetId: messageRemoteId }), undefined)
  }

  private async relay(
    session: WASession,
    chatRemoteId: string,
    clientId: string,
    encode: (envelope: { chatJid: string; selfJid: string; id: string; timestampSeconds: number; replyTo?: DraftReply | undefined }) => Uint8Array,
    replyTo: DraftReply | undefined
  ): Promise<SendResult> {
    const self = session.selfJid
    const id = messageIdFor(clientId)
    this.index.noteSent(id, clientId, chatRemoteId, self)
    const now = Math.floor(Date.now() / 1000)
    const bytes = encode({ chatJid: chatRemoteId, selfJid: self, id, timestampSeconds: now, replyTo })
    const relay = session.relay(id, bytes, chatRemoteId === self)
    this.inFlight.set(id, relay)
    let t: number | null
    try {
      t = await relay
    } finally {
      // Known a turn longer than the relay: the caller stores the id in the microtasks after this
      // returns, and a receipt dispatched meanwhile (a login sync's gate opening) must wait for that.
      setImmediate(() => {
        if (this.inFlight.get(id) === relay) this.inFlight.delete(id)
      })
    }
    this.index.noteAcked(id, chatRemoteId)
    return { remoteId: id, timestamp: (t ?? now) * 1000, status: 'sent' }
  }
}
