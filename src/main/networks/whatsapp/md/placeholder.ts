// Placeholder resend (spec §7.4, §10.3 item 5): when a message cannot be decrypted, both open
// implementations also ask the account's own phone for it, a few seconds after the first retry
// receipt, unless it has arrived meanwhile. The request is a peer message (spec §6.11) carrying
// protocolMessage{type PEER_DATA_OPERATION_REQUEST_MESSAGE, placeholderMessageResendRequest[]};
// the phone answers with protocolMessage{type PEER_DATA_OPERATION_REQUEST_RESPONSE_MESSAGE} whose
// results carry WebMessageInfo bytes (the history-sync shape, history.ts). The field numbers are
// WhatsApp's WAProto (not in the spec), as several public implementations carry them.
// Only answers from our own account, naming the request id and a key we asked for, are taken.

import { ProtocolError } from '../../../../shared/errors'
import type { Logger } from '../../../base/log'
import type { ConnectorEvent, KeyWrite } from '../../connector'
import { userJidOf, type BinaryNode } from './binary'
import { isGroupJid } from './groups'
import { historyOf } from './history'
import type { Outbound } from './outbound'
import { decodeProto, encodeProto, type MessageKey, type WAMessage, type WebMessageInfo } from './proto'
import type { MdSession } from './session'
import { node } from './stanza'

/** WAProto Message.ProtocolMessage.Type. */
export const PEER_DATA_OPERATION_REQUEST_MESSAGE = 16
export const PEER_DATA_OPERATION_REQUEST_RESPONSE_MESSAGE = 17
/** WAProto PeerDataOperationRequestType. */
export const PLACEHOLDER_MESSAGE_RESEND = 4
/** Bounded like every cache here (spec §13.9). */
const PENDING_MAX = 500

/** The protocolMessage fields this file adds (proto/whatsapp-md.proto, fields 16 and 17). */
export interface PeerDataRequest {
  peerDataOperationRequestType?: number
  placeholderMessageResendRequest?: { messageKey?: MessageKey }[]
}
export interface PeerDataResponse {
  peerDataOperationRequestType?: number
  stanzaId?: string
  peerDataOperationResult?: { placeholderMessageResendResponse?: { webMessageInfoBytes?: Uint8Array } }[]
}
type PeerProtocolMessage = NonNullable<WAMessage['protocolMessage']> & {
  peerDataOperationRequestMessage?: PeerDataRequest
  peerDataOperationRequestResponseMessage?: PeerDataResponse
}

interface Pending {
  key: MessageKey
  /** The chat the message belongs to (a group, or the sender's phone-number chat). */
  chat: string
  /** The failed stanza's time (unix s) and push name: used when the phone's copy lacks them. */
  t: number
  notify?: string
  /** The id of the request message once sent. */
  requestId?: string
  timer?: ReturnType<typeof setTimeout>
}

export interface PlaceholderDeps {
  outbound: Outbound
  /** The live session, or null while offline (the request is then skipped: the redelivery remains). */
  session(): MdSession | null
  delayMs: number
  log: Logger
  nextId(): string
}

/**
 * What an accepted answer adds to the commit of the peer message carrying it. The original id is
 * deliberately not marked "seen": its redelivery must still be decrypted (the sender's resend may
 * carry the new session, spec §7.4), and Core stores a message once by its remote id.
 */
export interface Resent {
  events: ConnectorEvent[]
  writes: KeyWrite[]
}

export class PlaceholderResend {
  private readonly pending = new Map<string, Pending>()

  constructor(private readonly d: PlaceholderDeps) {}

  /** The first decryption failure of `n`: ask the phone after the delay, unless it arrives first. */
  failed(n: BinaryNode): void {
    const id = n.attrs.id ?? ''
    const from = n.attrs.from ?? ''
    if (!id || !from || this.pending.has(id) || n.attrs.category === 'peer') return
    const lids = this.d.outbound.lids
    const group = isGroupJid(from)
    // whatsmeow's key: the chat (our other device's copy names it as `recipient`), and whether it is ours.
    const me = this.d.outbound.creds().me
    const author = n.attrs.participant ?? from
    const fromMe =
      !!me && ([userJidOf(me.jid), ...(me.lid ? [userJidOf(me.lid)] : [])].includes(userJidOf(author)) || lids.chatOf(author) === userJidOf(me.jid))
    const chatJid = group ? from : fromMe && n.attrs.recipient ? n.attrs.recipient : from
    const chat = group ? from : lids.chatOf(chatJid)
    const key: MessageKey = {
      remoteJid: group ? from : userJidOf(chatJid),
      fromMe,
      id,
      ...(group && n.attrs.participant ? { participant: n.attrs.participant } : {})
    }
    if (this.pending.size >= PENDING_MAX) this.drop(this.pending.keys().next().value!)
    const entry: Pending = { key, chat, t: Number(n.attrs.t ?? 0), ...(n.attrs.notify ? { notify: n.attrs.notify } : {}) }
    entry.timer = setTimeout(
      () => void this.request(id).catch((error: unknown) => this.d.log.warn({ error: errorCode(error) }, 'placeholder resend request failed')),
      this.d.delayMs
    )
    entry.timer.unref?.()
    this.pending.set(id, entry)
  }

  /** The message decrypted after all: nothing to ask (or to accept) any more. */
  arrived(id: string): void {
    this.drop(id)
  }

  close(): void {
    for (const id of [...this.pending.keys()]) this.drop(id)
  }

  private drop(id: string): void {
    const entry = this.pending.get(id)
    if (entry?.timer) clearTimeout(entry.timer)
    this.pending.delete(id)
  }

  /** spec §6.11: a peer message to our own phone (device 0), one `<enc>`, `<meta appdata="default"/>`. */
  private async request(id: string): Promise<void> {
    const entry = this.pending.get(id)
    const session = this.d.session()
    const me = this.d.outbound.creds().me?.jid
    if (!entry || !session || !me) return
    entry.timer = undefined
    const phone = `${userJidOf(me).split('@')[0]}@s.whatsapp.net`
    const requestId = this.d.nextId()
    const message = {
      protocolMessage: {
        type: PEER_DATA_OPERATION_REQUEST_MESSAGE,
        peerDataOperationRequestMessage: {
          peerDataOperationRequestType: PLACEHOLDER_MESSAGE_RESEND,
          placeholderMessageResendRequest: [{ messageKey: entry.key }]
        }
      }
    }
    const plaintext = encodeProto('Message', message)
    const out = this.d.outbound
    const bundles = await out.bundlesFor(session, [phone])
    const stanza = await out.store.run(async () => {
      const enc = await out.encryptTo(phone, bundles, plaintext)
      if (!enc) return null
      out.store.commit()
      const identity = enc.type === 'pkmsg' && out.creds().account ? [node('device-identity', {}, out.creds().account!)] : []
      return node('message', { id: requestId, to: userJidOf(me), type: 'text', category: 'peer', push_priority: 'high_force' }, [
        node('enc', { v: '2', type: enc.type }, enc.body),
        node('meta', { appdata: 'default' }),
        ...identity
      ])
    })
    if (!stanza) return void this.d.log.warn({}, 'placeholder resend: our phone has no session')
    entry.requestId = requestId
    session.send(stanza)
  }

  /**
   * A PEER_DATA_OPERATION_REQUEST_RESPONSE_MESSAGE from `author` (already known to be our own
   * account by the caller; checked again). Results for keys we did not ask for in that request
   * are ignored; garbage bytes are a typed error, logged, and skipped.
   */
  answer(author: string, protocolMessage: WAMessage['protocolMessage'], ownJid: string, ownLid: string | undefined, nowMs: number): Resent | null {
    const response = (protocolMessage as PeerProtocolMessage | undefined)?.peerDataOperationRequestResponseMessage
    const own = [userJidOf(ownJid), ...(ownLid ? [userJidOf(ownLid)] : [])]
    if (!response || (!own.includes(userJidOf(author)) && this.d.outbound.lids.chatOf(author) !== userJidOf(ownJid))) return null
    if (response.peerDataOperationRequestType !== PLACEHOLDER_MESSAGE_RESEND || !response.stanzaId) return null
    const resent: Resent = { events: [], writes: [] }
    for (const result of response.peerDataOperationResult ?? []) {
      const bytes = result.placeholderMessageResendResponse?.webMessageInfoBytes
      if (!bytes?.length) continue
      let info: WebMessageInfo
      try {
        info = decodeProto<WebMessageInfo>('WebMessageInfo', bytes)
      } catch (error) {
        this.d.log.warn({ error: errorCode(error) }, 'a WhatsApp placeholder resend answer could not be read')
        continue
      }
      const id = info.key?.id ?? ''
      const entry = this.pending.get(id)
      if (!entry || entry.requestId !== response.stanzaId || userJidOf(info.key?.remoteJid ?? '') !== userJidOf(entry.key.remoteJid ?? '')) {
        this.d.log.debug({}, 'a placeholder resend answer for a message we did not ask about was ignored')
        continue
      }
      // The phone's copy carries what the key of the request had; ours wins on who and where.
      const safe: WebMessageInfo = { ...info, key: { ...entry.key } }
      delete safe.participant
      if (entry.key.participant) safe.participant = entry.key.participant
      if (!Number(info.messageTimestamp ?? 0) && entry.t) safe.messageTimestamp = entry.t
      if (!info.pushName && entry.notify) safe.pushName = entry.notify
      const chunk = historyOf({ conversations: [{ id: entry.chat, messages: [{ message: safe }] }] }, 100, userJidOf(ownJid), nowMs, this.d.outbound.lids)
      const messages = chunk.events.filter((e) => e.type === 'message')
      if (!messages.length) continue
      resent.events.push(...messages)
      resent.writes.push(...chunk.writes)
      this.drop(id)
    }
    return resent
  }
}

function errorCode(error: unknown): string {
  return error instanceof ProtocolError ? error.code : error instanceof Error ? error.name : 'error'
}
