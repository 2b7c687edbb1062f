// Sending (spec §6.2 relay): the message id comes from the client id, so a retry is the same
// request and the server drops the copy; the result is `sent` only once the server acked
// this message id. Relays in flight are known by id, so that a receipt that overtakes its
// ack waits for it (inbound.ts). WhatsApp has no emotes: an emote goes out as the text
// Junction shows for it ("* Alice waves"), so the contact reads the same.

import { JunctionError } from '../../../../shared/errors'
import type { OutgoingDraft } from '../../../../shared/model'
import type { SendResult } from '../../connector'
import type { MessageIndex } from './message-index'
import { encodeOutgoingText, messageIdFor } from './messages'
import type { WASession } from './session'

/** What the contact reads for a draft; `ownName` is the account's push name. */
export function outgoingText(draft: Extract<OutgoingDraft, { kind: 'text' | 'emote' }>, ownName: string): string {
  return draft.kind === 'emote' ? `* ${ownName} ${draft.text}` : draft.text
}

export class Outbound {
  private readonly inFlight = new Map<string, Promise<unknown>>()

  constructor(private readonly index: MessageIndex) {}

  /** Settles once the send of this message id has returned; undefined when none is in flight (or just returned). */
  inFlightFor(messageId: string): Promise<unknown> | undefined {
    return this.inFlight.get(messageId)
  }

  async send(session: WASession, chatRemoteId: string, clientId: string, draft: OutgoingDraft, ownName: string): Promise<SendResult> {
    if (draft.kind === 'image') throw new JunctionError('unsupported', 'Sending pictures to WhatsApp is not supported yet.')
    const self = session.selfJid
    const id = messageIdFor(clientId)
    this.index.noteSent(id, clientId, chatRemoteId, self)
    const now = Math.floor(Date.now() / 1000)
    const bytes = encodeOutgoingText({
      chatJid: chatRemoteId,
      selfJid: self,
      id,
      text: outgoingText(draft, ownName),
      timestampSeconds: now,
      replyTo: draft.replyTo
    })
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
