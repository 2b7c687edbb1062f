// What Junction sends (spec §6.2–§6.6): a draft becomes one SDG whose Client-Message-ID is
// derived from Junction's client id, so a resend (a renewed Registration, an outbox retry
// after a reconnect) is the same message to the server, which keeps it once (§6.4).
// Typing is a signal no one waits on.

import { JunctionError } from '../../../shared/errors'
import type { OutgoingDraft, Presence } from '../../../shared/model'
import type { SendResult } from '../connector'
import { clientMessageIdFor } from './crypto'
import type { Inbound } from './inbound'
import { isGroupAddress, SKYPE_SIGNAL_CONTENT_TYPE, TEXT_CONTENT_TYPE, WLM_FORMAT } from './msnp/messaging'
import { quoteBody } from './msnp/quote'
import type { MsnpSession, SessionMessage } from './session'
import { messageKey } from './translate'

/** spec §12.2 285 "message too long": the limit clients kept under. */
export const MAX_TEXT_BYTES = 28 * 1024

export interface SendContext {
  session: MsnpSession
  inbound: Inbound
  displayName: string
  /** The contact's presence, for MSNP21's Service-Channel. */
  presenceOf(address: string): Presence | undefined
  /** A contact's name, for the quote of a reply. */
  nameOf(address: string): string | undefined
  now(): number
}

export function textMessage(
  chatRemoteId: string,
  clientMessageId: string,
  draft: Extract<OutgoingDraft, { kind: 'text' | 'emote' }>,
  ctx: SendContext
): SessionMessage {
  const name = ctx.displayName
  const msnp21 = ctx.session.dialect === 'msnp21'
  // spec §6.6: a /me goes out as "<name> <text>" with the offset len(name)+1, in UTF-16 code units.
  const body = draft.kind === 'emote' ? `${name} ${draft.text}` : draft.text
  if (Buffer.byteLength(body, 'utf8') > MAX_TEXT_BYTES)
    throw new JunctionError('rejected', 'The message is too long for Skype.', {
      reason: { code: 'refused', params: { detail: 'too long', limit: String(MAX_TEXT_BYTES) } }
    })
  const quote = draft.kind === 'text' && draft.replyTo && ctx.session.dialect === 'msnp24' ? draft.replyTo : undefined
  if (quote) {
    // actions-contract.md §3: a reply is RichText opening with the quote (msnp/quote.ts).
    const ownKey = quote.remoteId.startsWith(`${quote.senderId}/`) ? quote.remoteId.slice(quote.senderId.length + 1) : ''
    return {
      to: chatRemoteId,
      clientMessageId,
      messageType: 'RichText',
      displayName: name,
      contentType: TEXT_CONTENT_TYPE,
      body: quoteBody(
        {
          author: quote.senderId,
          authorName: quote.fromMe ? name : (ctx.nameOf(quote.senderId) ?? quote.senderId.replace(/^\d+:/, '')),
          timestamp: Math.floor(quote.timestamp / 1000),
          ...(/^\d{1,20}$/.test(ownKey) ? { messageId: ownKey } : {}),
          text: quote.text
        },
        body
      )
    }
  }
  return {
    to: chatRemoteId,
    // spec §6.2: WLM marks a message to an offline contact IM/Offline so the server stores it.
    ...(msnp21 && !isGroupAddress(chatRemoteId) ? { serviceChannel: ctx.presenceOf(chatRemoteId) === 'offline' ? 'IM/Offline' : 'IM/Online' } : {}),
    clientMessageId,
    messageType: 'Text',
    displayName: name,
    ...(draft.kind === 'emote' ? { emoteOffset: name.length + 1 } : {}),
    contentType: TEXT_CONTENT_TYPE,
    body,
    ...(msnp21 ? { format: WLM_FORMAT } : {})
  }
}

/** Resolves once the server has taken this very message (the session's acknowledgement), never before. */
export async function sendDraft(chatRemoteId: string, clientId: string, draft: OutgoingDraft, ctx: SendContext): Promise<SendResult> {
  if (draft.kind === 'image') throw new JunctionError('unsupported', 'Junction cannot send pictures over Skype yet.')
  if (draft.text.length === 0) throw new JunctionError('invalid-argument', 'The message is empty.')
  const cmid = clientMessageIdFor(clientId)
  const message = textMessage(chatRemoteId, cmid, draft, ctx)
  ctx.inbound.rememberSent(cmid, clientId)
  await ctx.session.sendMessaging(message)
  return { remoteId: messageKey(ctx.session.selfAddress, cmid), timestamp: ctx.now(), status: 'sent' }
}

/** spec §6.5 (E2, E6): Control/Typing, and Control/ClearTyping when the person stops (MSNP24). */
export function typingMessage(chatRemoteId: string, typing: boolean, session: MsnpSession): SessionMessage {
  return {
    to: chatRemoteId,
    messageType: typing ? 'Control/Typing' : 'Control/ClearTyping',
    contentType: session.dialect === 'msnp24' ? SKYPE_SIGNAL_CONTENT_TYPE : TEXT_CONTENT_TYPE,
    body: ''
  }
}

/**
 * spec §6.4 / E14 (MSNP24): an edit is a new message whose `Skype-EditedId` names the
 * Client-Message-ID it replaces; an empty body deletes it. Only our own messages, whose
 * remote id is `<self>/<Client-Message-ID>` (translate.ts messageKey), can be replaced.
 */
export async function sendEdit(chatRemoteId: string, messageRemoteId: string, text: string, ctx: SendContext): Promise<{ editedAt: number }> {
  const { session } = ctx
  if (session.dialect !== 'msnp24')
    throw new JunctionError('unsupported', 'Messages can only be changed on Skype (MSNP24).', {
      reason: { code: 'refused', params: { detail: session.dialect } }
    })
  const prefix = `${session.selfAddress}/`
  if (!messageRemoteId.startsWith(prefix)) throw new JunctionError('permission-denied', 'Only your own messages can be changed.')
  const original = messageRemoteId.slice(prefix.length)
  if (!/^\d{1,20}$/.test(original)) throw new JunctionError('unsupported', 'This message has no Client-Message-ID to change it by.')
  if (Buffer.byteLength(text, 'utf8') > MAX_TEXT_BYTES)
    throw new JunctionError('rejected', 'The message is too long for Skype.', {
      reason: { code: 'refused', params: { detail: 'too long', limit: String(MAX_TEXT_BYTES) } }
    })
  const editedAt = ctx.now()
  // A fresh Client-Message-ID for the edit itself (E14: …002 replaces …000); our own echo of it is recognised.
  const cmid = clientMessageIdFor(`edit:${original}:${editedAt}:${text}`)
  await session.sendMessaging({
    to: chatRemoteId,
    clientMessageId: cmid,
    editedId: original,
    messageType: 'Text',
    displayName: ctx.displayName,
    contentType: TEXT_CONTENT_TYPE,
    body: text
  })
  return { editedAt }
}
