// Wire → ConnectorEvent (spec §7.2–§7.6): messages are decrypted, and the message event, the
// advanced ratchet and the "seen" marker commit in one KeyStore transaction before the
// delivery receipt goes out (spec §13.2); a redelivered message is only re-acknowledged.
// Receipts and chat states are turned into events and acknowledged (notifications: in
// notifications.ts). Group messages carry the sender key (SKDM in a pkmsg/msg) and the skmsg
// (spec §6.7); LID senders land in their phone-number chat (spec §6.9); undecryptable ones get
// a retry receipt (§7.4).

import { JunctionError } from '../../../../shared/errors'
import type { Logger } from '../../../base/log'
import type { ConnectorEvent, IncomingMessage } from '../../connector'
import { actionEvent, replyOf } from './actions'
import { userJidOf, type BinaryNode } from './binary'
import type { MdCredentials } from './credentials'
import { textOfMessage, unwrap } from './content'
import { HISTORY_SYNC_NOTIFICATION, historyChunk } from './history'
import { pendingChunkWrite, resumeHistory, type BlobRef } from './history-download'
import { knownIdentity, noteIdentity, securityCodeChanged } from './identity'
import { APP_STATE_SYNC_KEY_SHARE } from './app-state/sync'
import { keyShareWrites } from './app-state/store'
import { encodeRef, MEDIA_NS, mediaBody, mediaKeyOf } from './media'
import { handleNotification } from './notifications'
import { decodeProto, type WAMessage } from './proto'
import type { MdSession } from './session'
import { chatInfoOf, isGroupJid } from './groups'
import type { Outbound } from './outbound'
import { answerRetry, MAX_RETRIES, retryReceipt } from './retry'
import { PEER_DATA_OPERATION_REQUEST_RESPONSE_MESSAGE, type PlaceholderResend } from './placeholder'
import { decryptFrom, signalAddress, unpad } from './signal/cipher'
import { groupDecrypt, processDistribution, senderKeyName } from './signal/sender-key'
import { NS, type SignalStore } from './signal/store'
import { childOf, childrenOf, node, bytesOf } from './stanza'

export interface InboundDeps {
  session: MdSession
  store: SignalStore
  /** Device lists, LIDs, groups, sent copies and retry counts, which outlive one connection. */
  outbound: Outbound
  creds(): MdCredentials
  emit(event: ConnectorEvent): void
  log: Logger
  /** Messages stored (committed), so actions on them can name them. */
  onMessages(messages: IncomingMessage[]): void
  /** A history chunk was stored; `progress` 0…100 (spec §10.1). */
  onHistory(progress: number): void
  /** spec §10.1: a history blob at `directPath`, downloaded and verified like media ("WhatsApp History Keys"). */
  downloadHistory?(ref: BlobRef): Promise<Uint8Array>
  onMessageAck(node: BinaryNode): void
  onPreKeyLow(count: number): void
  onOffline(): void
  /** A `<presence>` stanza (spec §7.6; md/presence.ts reads it). */
  onPresence(node: BinaryNode): void
  /** Our own push name, from our devices' messages or history (spec §7.2 `notify`, §10.2). */
  onPushName(name: string): void
  /** App-state keys from our phone were stored (spec §9.1): the collections can sync. */
  onAppStateKeys?(): void
  /** spec §9.3: `<notification type="server_sync">` names collections that changed. */
  onServerSync?(collections: string[]): void
  /** spec §8.5: our phone's answer to a media re-upload request. */
  onMediaRetry?(n: BinaryNode): void
  /** spec §7.5 `picture`: someone's profile picture changed (md/pictures.ts). */
  onPicture?(n: BinaryNode): void
  /** spec §7.4: asks our phone for messages we could not decrypt (placeholder.ts). */
  placeholders?: PlaceholderResend
}

const seen = new Uint8Array([1])

/** The KeyStore refused a commit: retryable, by reconnecting (the server redelivers). */
export class StoreFailure extends JunctionError {
  constructor(cause: unknown) {
    super('internal', 'A WhatsApp message could not be stored.', { cause, retryable: true, reason: { code: 'unknown' } })
  }
}

export class Inbound {
  /** Set while a message that shared app-state keys is being stored (spec §9.1). */
  private keysShared = false
  /** Set while a message that named a history chunk to download is being stored (spec §10.1). */
  private historyPending = false

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
      case 'presence':
        return this.d.onPresence(n)
      case 'notification':
        return handleNotification(this.d, n, { user: () => this.ownUser(), users: () => this.ownUsers() })
      case 'ib':
        if (!childOf(n, 'offline')) return
        this.d.onOffline()
        // Chunks a previous connection could not download (history-download.ts).
        return this.downloadHistory()
      case 'iq':
        // Server iqs we do not handle are answered so the server does not wait (spec §4.5).
        if (n.attrs.type === 'get' || n.attrs.type === 'set') this.d.session.send(node('iq', { to: 's.whatsapp.net', type: 'result', id: n.attrs.id ?? '' }))
        return
      default:
        return
    }
  }

  /** spec §10.1: downloads the pending history chunks; their progress and push name as for inline ones. */
  private downloadHistory(): void {
    if (this.d.downloadHistory)
      resumeHistory(this.d.store, { ...this.d, download: this.d.downloadHistory, ownJid: () => this.ownUser(), lids: this.d.outbound.lids })
  }

  private ownUser(): string {
    return userJidOf(this.d.creds().me?.jid ?? '')
  }

  /** Our account's user JIDs: the phone number and, once known, the LID (spec §6.9). */
  private ownUsers(): string[] {
    const me = this.d.creds().me
    return [userJidOf(me?.jid ?? ''), ...(me?.lid ? [userJidOf(me.lid)] : [])]
  }

  private isOwn(jid: string): boolean {
    return this.ownUsers().includes(userJidOf(jid)) || this.d.outbound.lids.chatOf(jid) === this.ownUser()
  }

  /** spec §11.1: the groups we are in, after login. */
  async syncGroups(): Promise<void> {
    const groups = await this.d.outbound.groups.fetchAll(this.d.session)
    for (const g of groups) this.d.emit({ type: 'chat', chat: chatInfoOf(g) })
  }

  private async message(n: BinaryNode): Promise<void> {
    const from = n.attrs.from ?? ''
    const id = n.attrs.id ?? ''
    const author = n.attrs.participant ?? from
    const group = isGroupJid(from) ? from : null
    const { store, outbound } = this.d
    const lids = outbound.lids
    // A message from a group we have not seen: its chat is reported first (spec §11.1); without
    // metadata it is still a group chat, named by its id until a notification says more.
    const newGroup =
      group && !outbound.groups.known(group)
        ? await outbound.groups.metadata(this.d.session, group).catch((error: unknown) => {
            this.d.log.warn({ error: error instanceof JunctionError ? error.code : 'error' }, 'WhatsApp group metadata could not be fetched')
            return { jid: group, subject: '', participants: [], addressingMode: 'pn' as const }
          })
        : null
    let missingSession = false
    const outcome = await store
      .run(async () => {
        lids.learnFrom(n)
        this.keysShared = false
        this.historyPending = false
        if (store.get(NS.seen, `${lids.toPn(author)}|${id}`)) return 'duplicate' as const
        const events: ConnectorEvent[] = newGroup ? [{ type: 'chat', chat: chatInfoOf(newGroup) }] : []
        const history: number[] = []
        const address = lids.sessionJid(author)
        const encs = childrenOf(n).filter((c) => c.tag === 'enc' && bytesOf(c))
        // spec §7.2: the pairwise envelope (which may carry the sender key) before the skmsg.
        for (const enc of [...encs.filter((e) => e.attrs.type !== 'skmsg'), ...encs.filter((e) => e.attrs.type === 'skmsg')]) {
          let message: WAMessage
          if (enc.attrs.type === 'skmsg') {
            if (!group) continue
            message = decodeProto<WAMessage>('Message', unpad(groupDecrypt(store, senderKeyName(group, signalAddress(address)), bytesOf(enc)!)))
          } else if (enc.attrs.type === 'pkmsg' || enc.attrs.type === 'msg') {
            missingSession = enc.attrs.type === 'msg' && !store.hasSession(signalAddress(address).toString())
            const before = enc.attrs.type === 'pkmsg' ? knownIdentity(store, signalAddress(address).toString()) : null
            message = decodeProto<WAMessage>('Message', await decryptFrom(store, address, enc.attrs.type, bytesOf(enc)!))
            missingSession = false
            // spec §6.10: a new identity key on a pkmsg is accepted; the chat it showed in (direct or group) says the code changed.
            if (enc.attrs.type === 'pkmsg' && noteIdentity(store, signalAddress(address).toString(), before) && !this.isOwn(author))
              events.push({
                type: 'message',
                message: securityCodeChanged(group ?? lids.chatOf(author), lids.chatOf(author), n.attrs.notify, id, Number(n.attrs.t ?? 0) * 1000)
              })
            const skdm = message.senderKeyDistributionMessage?.axolotlSenderKeyDistributionMessage
            if (group && skdm) processDistribution(store, senderKeyName(group, signalAddress(address)), skdm)
          } else continue
          events.push(...this.toEvents(n, message, history))
        }
        store.stage(NS.seen, `${lids.toPn(author)}|${id}`, seen)
        try {
          store.commit(events)
        } catch (cause) {
          throw new StoreFailure(cause)
        }
        this.d.onMessages(events.flatMap((e) => (e.type === 'message' ? [e.message] : [])))
        if (this.keysShared) this.d.onAppStateKeys?.()
        if (this.historyPending) this.downloadHistory()
        if (history.length || this.historyPending) {
          // spec §10.1: a history chunk is acknowledged with a hist_sync receipt as well.
          this.d.session.send(node('receipt', { id, to: from, type: 'hist_sync' }))
          for (const progress of history) this.d.onHistory(progress)
        }
        return 'stored' as const
      })
      .catch((error: unknown) => error)
    if (outcome === 'stored' || outcome === 'duplicate') {
      outbound.retries.done(id)
      this.d.placeholders?.arrived(id)
      this.d.session.send(this.receiptFor(n))
      return
    }
    if (outcome instanceof StoreFailure) {
      // Nothing was stored and nothing is acknowledged: the server keeps the message, and a
      // new connection gets it again with the ratchet where it was (spec §13.2).
      this.d.log.error({ id }, 'a WhatsApp message could not be stored; reconnecting')
      this.d.session.end(outcome)
      return
    }
    // spec §7.4: a device that could not decrypt asks for a resend and keeps the message unacknowledged.
    const encCount = Math.max(0, ...childrenOf(n).map((c) => Number(c.attrs.count ?? 0) || 0))
    const count = outbound.retries.next(id, encCount)
    this.d.log.warn({ id, count, error: outcome instanceof JunctionError ? outcome.code : 'error' }, 'a WhatsApp message could not be decrypted')
    if (count > MAX_RETRIES) {
      // Given up (both libraries stop at 5): acknowledged so the server stops redelivering it.
      outbound.retries.done(id)
      this.d.session.send(this.receiptFor(n))
      return
    }
    const receipt = await retryReceipt(store, this.d.creds(), n, count, count > 1 || missingSession)
    this.d.session.send(receipt)
    if (count === 1) this.d.placeholders?.failed(n)
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
    const lids = this.d.outbound.lids
    // In a group the author is the participant (spec §7.2); our own other device may be it.
    const author = n.attrs.participant ?? from
    const fromMe = this.isOwn(author)
    let content = unwrap(message)
    let chat = n.attrs.recipient ? lids.chatOf(n.attrs.recipient) : isGroupJid(from) ? from : lids.chatOf(from)
    if (fromMe && n.attrs.notify) this.d.onPushName(n.attrs.notify)
    if (content.deviceSentMessage) {
      // spec §6.11: our own other device's copy of what it sent.
      if (!fromMe) return null
      chat = content.deviceSentMessage.destinationJid ? lids.chatOf(content.deviceSentMessage.destinationJid) : chat
      content = unwrap(content.deviceSentMessage.message ?? {})
    }
    if (content.protocolMessage?.type === APP_STATE_SYNC_KEY_SHARE) {
      // spec §9.1: only our own devices share app-state keys; staged with this message's commit.
      const keys = content.protocolMessage.appStateSyncKeyShare?.keys ?? []
      if (!fromMe || !keys.length) return null
      for (const w of keyShareWrites(keys)) this.d.store.stage(w.namespace, w.key, w.value)
      this.keysShared = true
      return null
    }
    if (content.protocolMessage?.type === PEER_DATA_OPERATION_REQUEST_RESPONSE_MESSAGE) {
      // spec §7.4: our phone's copy of a message we could not decrypt; staged with this commit.
      const resent = fromMe && this.d.placeholders?.answer(author, content.protocolMessage, own, this.d.creds().me?.lid, Date.now())
      if (!resent) return null
      for (const w of resent.writes) this.d.store.stage(w.namespace, w.key, w.value)
      return resent.events
    }
    if (content.protocolMessage?.type === HISTORY_SYNC_NOTIFICATION) {
      // spec §10.1: only our own phone sends history.
      const notification = content.protocolMessage.historySyncNotification
      if (!fromMe || !notification) return null
      let chunk: ReturnType<typeof historyChunk>
      try {
        chunk = historyChunk(notification, own, Date.now(), this.d.outbound.lids)
      } catch (error) {
        // A damaged blob is the phone's problem, not a decryption failure: skip it, do not ask for a resend.
        this.d.log.warn({ error: error instanceof JunctionError ? error.code : 'error' }, 'a WhatsApp history chunk could not be read')
        history.push(Number(notification.progress ?? 0))
        return null
      }
      if (!chunk) {
        // Downloaded after this commit (history-download.ts); staged so it cannot be lost.
        const pending = pendingChunkWrite(n.attrs.id ?? '', notification)
        if (pending) {
          this.d.store.stage(pending.namespace, pending.key, pending.value)
          this.historyPending = true
        } else {
          this.d.log.warn({ syncType: notification.syncType }, 'a WhatsApp history chunk names no blob; skipped')
          history.push(Number(notification.progress ?? 0))
        }
        return null
      }
      for (const w of chunk.writes) this.d.store.stage(w.namespace, w.key, w.value)
      history.push(chunk.progress)
      if (chunk.ownPushName) this.d.onPushName(chunk.ownPushName)
      return chunk.events
    }
    const senderId = lids.chatOf(n.attrs.participant ?? from)
    const timestampMs = Number(n.attrs.t ?? 0) * 1000
    const action = actionEvent(content, { chat, senderId, fromMe, timestampMs })
    if (action === 'ignored') return null
    if (action) return action
    // spec §8: a media message keeps its reference (committed with it) for fetchMedia.
    const media = mediaBody(content)
    // spec §8.5: whose message it is goes with it, for a re-upload request.
    if (media?.ref)
      this.d.store.stage(
        MEDIA_NS,
        mediaKeyOf(chat, n.attrs.id ?? ''),
        encodeRef({ ...media.ref, fromMe, ...(isGroupJid(chat) && !fromMe ? { participant: senderId } : {}) })
      )
    const text = media ? media.text : textOfMessage(content)
    if (text === undefined) return null
    const replyTo = replyOf(content, userJidOf)
    const incoming: IncomingMessage = {
      chatRemoteId: chat,
      remoteId: n.attrs.id ?? '',
      senderId,
      ...(n.attrs.notify ? { senderName: n.attrs.notify } : {}),
      fromMe,
      timestamp: timestampMs,
      kind: media ? media.kind : 'text',
      text,
      ...(media ? { media: media.media } : {}),
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
    if (type === 'retry') {
      void answerRetry(this.d.outbound, this.d.session, n).catch((error: unknown) =>
        this.d.log.warn({ error: error instanceof JunctionError ? error.code : 'error' }, 'a WhatsApp retry could not be answered')
      )
      return
    }
    const from = n.attrs.from ?? ''
    const chat = n.attrs.recipient ? this.d.outbound.lids.chatOf(n.attrs.recipient) : isGroupJid(from) ? from : this.d.outbound.lids.chatOf(from)
    // spec §7.4: `read` or `read-self` from our own other device means we read the chat there.
    if ((type === 'read' || type === 'read-self') && this.isOwn(n.attrs.participant ?? from)) this.d.emit({ type: 'chatRead', chatRemoteId: chat })
    else if (type === undefined || type === 'inactive') this.d.emit({ type: 'receipt', chatRemoteId: chat, messageRemoteIds: ids, status: 'delivered' })
    else if (type === 'read' || type === 'played') this.d.emit({ type: 'receipt', chatRemoteId: chat, messageRemoteIds: ids, status: 'read' })
  }

  private chatstate(n: BinaryNode): void {
    const from = n.attrs.from ?? ''
    const state = childrenOf(n)[0]?.tag
    if (state !== 'composing' && state !== 'paused') return
    const lids = this.d.outbound.lids
    const chat = isGroupJid(from) ? from : lids.chatOf(from)
    this.d.emit({ type: 'typing', chatRemoteId: chat, senderId: lids.chatOf(n.attrs.participant ?? from), typing: state === 'composing' })
  }
}
