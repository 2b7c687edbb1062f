// Wire → ConnectorEvent (spec §7.2–§7.6): messages are decrypted, and the message event, the
// advanced ratchet and the "seen" marker commit in one KeyStore transaction before the
// delivery receipt goes out (spec §13.2); a redelivered message is only re-acknowledged.
// Receipts, chat states and notifications are turned into events and acknowledged.

import { JunctionError } from '../../../../shared/errors'
import type { Logger } from '../../../base/log'
import type { ConnectorEvent, IncomingMessage } from '../../connector'
import { actionEvent, replyOf } from './actions'
import { userJidOf, type BinaryNode } from './binary'
import type { MdCredentials } from './credentials'
import { textOfMessage, unwrap } from './content'
import { HISTORY_SYNC_NOTIFICATION, historyChunk } from './history'
import { decodeProto, type WAMessage } from './proto'
import type { MdSession } from './session'
import { decryptFrom } from './signal/cipher'
import { NS, type SignalStore } from './signal/store'
import { childOf, childrenOf, node, bytesOf } from './stanza'

export interface InboundDeps {
  session: MdSession
  store: SignalStore
  creds(): MdCredentials
  emit(event: ConnectorEvent): void
  log: Logger
  /** Messages stored (committed), so actions on them can name them. */
  onMessages(messages: IncomingMessage[]): void
  /** A history chunk was stored; `progress` 0…100 (spec §10.1). */
  onHistory(progress: number): void
  onMessageAck(node: BinaryNode): void
  onPreKeyLow(count: number): void
  onOffline(): void
}

const seen = new Uint8Array([1])

/** The KeyStore refused a commit: retryable, by reconnecting (the server redelivers). */
export class StoreFailure extends JunctionError {
  constructor(cause: unknown) {
    super('internal', 'A WhatsApp message could not be stored.', { cause, retryable: true, reason: { code: 'unknown' } })
  }
}

export class Inbound {
  constructor(private readonly d: InboundDeps) {}

  handle(n: BinaryNode): void {
    switch (n.tag) {
      case 'message':
        void this.message(n).catch((error: unknown) => this.d.log.warn({ error }, 'a WhatsApp message could not be handled'))
        return
      case 'receipt':
        return this.receipt(n)
      case 'ack':
        if (n.attrs.class === 'message') this.d.onMessageAck(n)
        return
      case 'chatstate':
        return this.chatstate(n)
      case 'notification':
        return this.notification(n)
      case 'ib':
        if (childOf(n, 'offline')) this.d.onOffline()
        return
      case 'iq':
        // Server iqs we do not handle are answered so the server does not wait (spec §4.5).
        if (n.attrs.type === 'get' || n.attrs.type === 'set') this.d.session.send(node('iq', { to: 's.whatsapp.net', type: 'result', id: n.attrs.id ?? '' }))
        return
      default:
        return
    }
  }

  private ownUser(): string {
    return userJidOf(this.d.creds().me?.jid ?? '')
  }

  private async message(n: BinaryNode): Promise<void> {
    const from = n.attrs.from ?? ''
    const id = n.attrs.id ?? ''
    const author = n.attrs.participant ?? from
    const seenKey = `${author}|${id}`
    const receipt = this.receiptFor(n)
    const outcome = await this.d.store
      .run(async () => {
        if (this.d.store.get(NS.seen, seenKey)) return 'duplicate' as const
        const events: ConnectorEvent[] = []
        const history: number[] = []
        for (const enc of childrenOf(n).filter((c) => c.tag === 'enc')) {
          const body = bytesOf(enc)
          if (!body || (enc.attrs.type !== 'pkmsg' && enc.attrs.type !== 'msg')) continue
          const plain = await decryptFrom(this.d.store, author, enc.attrs.type, body)
          events.push(...this.toEvents(n, decodeProto<WAMessage>('Message', plain), history))
        }
        this.d.store.stage(NS.seen, seenKey, seen)
        try {
          this.d.store.commit(events)
        } catch (cause) {
          throw new StoreFailure(cause)
        }
        this.d.onMessages(events.flatMap((e) => (e.type === 'message' ? [e.message] : [])))
        if (history.length) {
          // spec §10.1: a history chunk is acknowledged with a hist_sync receipt as well.
          this.d.session.send(node('receipt', { id, to: from, type: 'hist_sync' }))
          for (const progress of history) this.d.onHistory(progress)
        }
        return 'stored' as const
      })
      .catch((error: unknown) => error)
    if (outcome === 'stored' || outcome === 'duplicate') {
      this.d.session.send(receipt)
      return
    }
    if (outcome instanceof StoreFailure) {
      // Nothing was stored and nothing is acknowledged: the server keeps the message, and a
      // new connection gets it again with the ratchet where it was (spec §13.2).
      this.d.log.error({ id }, 'a WhatsApp message could not be stored; reconnecting')
      this.d.session.end(outcome)
      return
    }
    // spec §7.4: a device that could not decrypt asks for a resend.
    this.d.log.warn({ id, error: outcome instanceof JunctionError ? outcome.code : 'error' }, 'a WhatsApp message could not be decrypted')
    this.d.session.send(
      node('receipt', { id, type: 'retry', to: from, ...(n.attrs.participant ? { participant: n.attrs.participant } : {}) }, [
        node('retry', { count: '1', id, t: n.attrs.t ?? '0', v: '1' }),
        node('registration', {}, Uint8Array.from([0, 0, (this.d.creds().registrationId >> 8) & 0xff, this.d.creds().registrationId & 0xff]))
      ])
    )
  }

  private receiptFor(n: BinaryNode): BinaryNode {
    const attrs: Record<string, string> = { id: n.attrs.id ?? '', to: n.attrs.from ?? '' }
    if (n.attrs.participant) attrs.participant = n.attrs.participant
    if (n.attrs.recipient) {
      attrs.recipient = n.attrs.recipient
      attrs.type = 'sender'
    }
    if (n.attrs.category === 'peer') attrs.type = 'peer_msg'
    return node('receipt', attrs)
  }

  /** The events a decrypted message makes; a history chunk's progress goes to `history`. */
  private toEvents(n: BinaryNode, message: WAMessage, history: number[]): ConnectorEvent[] {
    const one = this.toEvent(n, message, history)
    return Array.isArray(one) ? one : one ? [one] : []
  }

  private toEvent(n: BinaryNode, message: WAMessage, history: number[]): ConnectorEvent | ConnectorEvent[] | null {
    const from = n.attrs.from ?? ''
    const own = this.ownUser()
    const fromMe = userJidOf(from) === own
    let content = unwrap(message)
    let chat = n.attrs.recipient ?? (from.endsWith('@g.us') ? from : userJidOf(from))
    if (content.deviceSentMessage) {
      // spec §6.11: our own other device's copy of what it sent.
      if (!fromMe) return null
      chat = userJidOf(content.deviceSentMessage.destinationJid ?? chat)
      content = unwrap(content.deviceSentMessage.message ?? {})
    }
    if (content.protocolMessage?.type === HISTORY_SYNC_NOTIFICATION) {
      // spec §10.1: only our own phone sends history.
      const notification = content.protocolMessage.historySyncNotification
      if (!fromMe || !notification) return null
      let chunk: ReturnType<typeof historyChunk>
      try {
        chunk = historyChunk(notification, own, Date.now())
      } catch (error) {
        // A damaged blob is the phone's problem, not a decryption failure: skip it, do not ask for a resend.
        this.d.log.warn({ error: error instanceof JunctionError ? error.code : 'error' }, 'a WhatsApp history chunk could not be read')
        history.push(Number(notification.progress ?? 0))
        return null
      }
      if (!chunk) {
        this.d.log.warn({ syncType: notification.syncType }, 'a WhatsApp history chunk that must be downloaded was skipped (not supported yet)')
        history.push(Number(notification.progress ?? 0))
        return null
      }
      history.push(chunk.progress)
      return chunk.events
    }
    const senderId = userJidOf(n.attrs.participant ?? from)
    const timestampMs = Number(n.attrs.t ?? 0) * 1000
    const action = actionEvent(content, { chat, senderId, fromMe, timestampMs })
    if (action === 'ignored') return null
    if (action) return action
    const text = textOfMessage(content)
    if (text === undefined) return null
    const replyTo = replyOf(content, userJidOf)
    const incoming: IncomingMessage = {
      chatRemoteId: chat,
      remoteId: n.attrs.id ?? '',
      senderId,
      ...(n.attrs.notify ? { senderName: n.attrs.notify } : {}),
      fromMe,
      timestamp: timestampMs,
      kind: 'text',
      text,
      e2ee: true,
      ...(replyTo ? { replyTo } : {})
    }
    return { type: 'message', message: incoming }
  }

  private receipt(n: BinaryNode): void {
    const ids = [n.attrs.id ?? '', ...childrenOf(childOf(n, 'list')).map((i) => i.attrs.id ?? '')].filter(Boolean)
    const type = n.attrs.type
    const ack: Record<string, string> = { class: 'receipt', id: n.attrs.id ?? '', to: n.attrs.from ?? '' }
    if (type) ack.type = type
    if (n.attrs.participant) ack.participant = n.attrs.participant
    this.d.session.send(node('ack', ack))
    const chat = n.attrs.recipient ?? userJidOf(n.attrs.from ?? '')
    if (type === undefined || type === 'inactive') this.d.emit({ type: 'receipt', chatRemoteId: chat, messageRemoteIds: ids, status: 'delivered' })
    else if (type === 'read' || type === 'played') this.d.emit({ type: 'receipt', chatRemoteId: chat, messageRemoteIds: ids, status: 'read' })
    else if (type === 'read-self') this.d.emit({ type: 'chatRead', chatRemoteId: chat })
  }

  private chatstate(n: BinaryNode): void {
    const from = n.attrs.from ?? ''
    const state = childrenOf(n)[0]?.tag
    if (state !== 'composing' && state !== 'paused') return
    const chat = from.endsWith('@g.us') ? from : userJidOf(from)
    this.d.emit({ type: 'typing', chatRemoteId: chat, senderId: userJidOf(n.attrs.participant ?? from), typing: state === 'composing' })
  }

  private notification(n: BinaryNode): void {
    const ack: Record<string, string> = { class: 'notification', id: n.attrs.id ?? '', to: n.attrs.from ?? '' }
    if (n.attrs.type) ack.type = n.attrs.type
    this.d.session.send(node('ack', ack))
    const count = childOf(n, 'count')
    if (n.attrs.type === 'encrypt' && count) this.d.onPreKeyLow(Number(count.attrs.value ?? 0))
  }
}
