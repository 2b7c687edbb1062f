// Operations → Connector events (spec §6.4, §6.5). Each operation is applied in order and
// only then is `localRev` moved and reported as the `cursor` (core persists a cursor after
// the messages before it), so a restart or a dropped stream resumes with nothing lost;
// operations at or below `localRev` are redeliveries and are dropped, so nothing doubles.

import type { Logger } from '../../base/log'
import type { IncomingMessage } from '../connector'
import { parseReactionParam } from './reactions'
import type { ConnectorEvents } from '../events'
import { isSessionDead, mayGoDifferently } from './errors'
import type { MessageCache } from './message-cache'
import { chatOf } from './messages'
import { UNREADABLE_OPERATION, type Message, type Operation } from './wire'

/** spec §6.4: the operation types a messenger acts on. */
export const OP = {
  END_OF_OPERATION: 0,
  UPDATE_PROFILE: 1,
  NOTIFIED_UPDATE_PROFILE: 2,
  ADD_CONTACT: 4,
  NOTIFIED_ADD_CONTACT: 5,
  BLOCK_CONTACT: 6,
  UNBLOCK_CONTACT: 7,
  SEND_MESSAGE: 25,
  RECEIVE_MESSAGE: 26,
  RECEIVE_MESSAGE_RECEIPT: 28,
  SEND_CHAT_CHECKED: 40,
  UPDATE_CONTACT: 49,
  NOTIFIED_READ_MESSAGE: 55,
  DESTROY_MESSAGE: 64,
  NOTIFIED_DESTROY_MESSAGE: 65,
  NOTIFIED_BLOCK_CONTACT: 68,
  NOTIFIED_UNBLOCK_CONTACT: 69,
  DELETE_SELF_FROM_CHAT: 127,
  REJECT_CHAT_INVITATION: 131,
  LEAVE_GROUP: 14,
  LEAVE_ROOM: 23,
  SEND_REACTION: 139,
  NOTIFIED_SEND_REACTION: 140
} as const

/** Legacy group/room ops (9–24) and the chat ops (120–133) that change a chat: refetch it. */
const CHAT_CHANGES = new Set([9, 10, 11, 12, 13, 15, 16, 17, 18, 19, 20, 21, 22, 24, 60, 61, 80, 120, 121, 122, 123, 124, 125, 126, 128, 129, 130, 132, 133])
const CONTACT_CHANGES = new Set<number>([OP.NOTIFIED_UPDATE_PROFILE, OP.ADD_CONTACT, OP.NOTIFIED_ADD_CONTACT, OP.UPDATE_CONTACT, 78])
const CHAT_GONE = new Set<number>([OP.DELETE_SELF_FROM_CHAT, OP.REJECT_CHAT_INVITATION, OP.LEAVE_GROUP, OP.LEAVE_ROOM])

export interface OperationDeps {
  selfMid: string
  events: ConnectorEvents
  cache: MessageCache
  log: Logger
  /** Wire message → model (opens sealed ones); throws on a transient failure. */
  mapMessage(m: Message, reqSeq: number | undefined): Promise<IncomingMessage>
  refreshContact(mid: string, blocked?: boolean): Promise<void>
  refreshChat(chatMid: string): Promise<void>
  refreshProfile(): Promise<void>
  /** A message known only by its id (its operation could not be read): read it again from its chat, later. */
  rereadMessage(chatMid: string, messageId: string): void
}

export class OperationHandler {
  private rev: bigint

  constructor(
    private readonly d: OperationDeps,
    localRev: string
  ) {
    this.rev = BigInt(localRev)
  }

  get localRev(): string {
    return this.rev.toString()
  }

  /** spec §7.1 fullSync: the server says where to continue from. */
  jumpTo(revision: string): void {
    const next = BigInt(revision)
    if (next <= this.rev) return
    this.rev = next
    this.d.events.emit({ type: 'cursor', name: 'localRev', value: this.localRev })
  }

  async apply(ops: Operation[]): Promise<void> {
    for (const op of ops) {
      // spec §6.5: END_OF_OPERATION has no revision and must not move localRev.
      if (op.type === OP.END_OF_OPERATION) continue
      const rev = op.revision !== undefined ? BigInt(op.revision) : null
      if (rev !== null && rev <= this.rev) continue
      try {
        await this.dispatch(op)
      } catch (error) {
        // The sink's contract (operation-source.ts): only what may go differently is fetched
        // again. Anything else would come back and fail forever, and every later operation
        // of the account with it, so it is passed over, loudly.
        if (mayGoDifferently(error)) throw error
        this.d.log.error({ type: op.type, revision: op.revision, error }, 'an operation could not be applied; passing over it')
      }
      if (rev !== null) {
        this.rev = rev
        this.d.events.emit({ type: 'cursor', name: 'localRev', value: this.localRev })
      }
    }
  }

  private emit = (event: Parameters<ConnectorEvents['emit']>[0]): void => this.d.events.emit(event)

  /** Side refreshes are best effort: a failure leaves the next sync to catch up, unless the session died. */
  private async quietly(what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work()
    } catch (error) {
      if (isSessionDead(error)) throw error
      this.d.log.warn({ what, error }, 'could not refresh after an operation')
    }
  }

  private async dispatch(op: Operation): Promise<void> {
    const p1 = op.param1 ?? ''
    const p2 = op.param2 ?? ''
    const p3 = op.param3 ?? ''
    switch (op.type) {
      case OP.SEND_MESSAGE:
      case OP.RECEIVE_MESSAGE: {
        if (!op.message) return
        const message = await this.d.mapMessage(op.message, op.type === OP.SEND_MESSAGE ? op.reqSeq : undefined)
        this.emit({ type: 'message', message })
        return
      }
      case OP.NOTIFIED_READ_MESSAGE: {
        // spec §6.5: param1 chat (the peer in 1:1), param2 reader, param3 message id.
        if (p2 === this.d.selfMid) return this.emit({ type: 'chatRead', chatRemoteId: p1 })
        const ids = p3 ? this.d.cache.ownUpTo(p1, p3) : []
        if (ids.length > 0) this.emit({ type: 'receipt', chatRemoteId: p1, messageRemoteIds: ids, status: 'read' })
        return
      }
      case OP.RECEIVE_MESSAGE_RECEIPT: {
        // Legacy: param1 reader, param2 message ids joined by U+001E.
        const ids = p2.split('\u001e').filter(Boolean)
        if (ids.length > 0) this.emit({ type: 'receipt', chatRemoteId: p1, messageRemoteIds: ids, status: 'read' })
        return
      }
      case OP.SEND_CHAT_CHECKED:
        return this.emit({ type: 'chatRead', chatRemoteId: p1 })
      case OP.DESTROY_MESSAGE:
      case OP.NOTIFIED_DESTROY_MESSAGE:
        // spec §6.5: param1 chat, param2 the unsent message. Core changes the message it has (and has nothing to show otherwise).
        if (p1 && p2) this.emit({ type: 'messageDeleted', chatRemoteId: p1, messageRemoteId: p2 })
        return
      case OP.SEND_REACTION:
      case OP.NOTIFIED_SEND_REACTION:
        return this.reaction(op, p1, p2, p3)
      case UNREADABLE_OPERATION:
        this.d.log.error(
          { revision: op.revision, message: op.message?.id !== undefined },
          'passing over an operation LINE sent in a shape Junction cannot read'
        )
        if (op.message?.id) this.d.rereadMessage(chatOf(op.message, this.d.selfMid), op.message.id)
        return
      case OP.UPDATE_PROFILE:
        return this.quietly('profile', () => this.d.refreshProfile())
      case OP.BLOCK_CONTACT:
      case OP.UNBLOCK_CONTACT:
      case OP.NOTIFIED_BLOCK_CONTACT:
      case OP.NOTIFIED_UNBLOCK_CONTACT: {
        const blocked = op.type === OP.BLOCK_CONTACT || op.type === OP.NOTIFIED_BLOCK_CONTACT
        return this.quietly('contact', () => this.d.refreshContact(p1, blocked))
      }
      default:
        if (CONTACT_CHANGES.has(op.type) && p1) return this.quietly('contact', () => this.d.refreshContact(p1))
        if (CHAT_GONE.has(op.type) && p1) return this.emit({ type: 'chatRemoved', chatRemoteId: p1 })
        if (CHAT_CHANGES.has(op.type) && p1) return this.quietly('chat', () => this.d.refreshChat(p1))
    }
  }

  /**
   * spec §6.5 139/140: param1 message id, param2 `{"chatMid","curr"}`, param3 the reactor (our
   * own account on 139, which may leave it out). In a 1:1 chat the chat is the other party:
   * a chatMid naming us means the reactor's chat; a missing one is found from the message.
   */
  private reaction(op: Operation, messageId: string, param2: string, reactor: string): void {
    const parsed = parseReactionParam(param2)
    if (!messageId || !parsed) {
      this.d.log.debug({ type: op.type }, 'reaction operation not understood')
      return
    }
    const fromMe = op.type === OP.SEND_REACTION || reactor === this.d.selfMid
    const senderId = fromMe ? this.d.selfMid : reactor
    if (!senderId) return
    let chat = parsed.chatMid
    if (chat === this.d.selfMid) chat = fromMe ? null : reactor
    chat ??= this.d.cache.get(messageId)?.incoming.chatRemoteId ?? null
    if (!chat) return
    this.emit({
      type: 'reaction',
      chatRemoteId: chat,
      messageRemoteId: messageId,
      senderId,
      fromMe,
      emoji: parsed.emoji,
      timestamp: Number(op.createdTime ?? 0) || Date.now()
    })
  }
}
