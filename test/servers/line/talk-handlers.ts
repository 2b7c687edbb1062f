// TalkService of the reference server (spec §5, §11.7, capture 002): profile, contacts,
// chats, message boxes and history, sendMessage (idempotent per reqSeq), read receipts,
// unsend, the revision, the RSA key and the OBS token.

import { randomBytes } from 'node:crypto'
import { canSeal } from './e2ee-handlers'
import { arg, isI64, isInt, isObject, isString, isStringArray, type CallContext, type Handler } from './handlers'
import { talkError } from './http-util'
import { LineWorld, UNSEND_PERIOD_MS, type StoredMessage, type WorldChat, type WorldUser } from './world'

/** capture 002 step 6: what sendMessage answers (no `to`, no text). */
export function sendResponse(m: StoredMessage): Record<string, unknown> {
  return {
    from: m.from,
    toType: m.toType,
    id: m.id,
    createdTime: String(m.createdTime),
    deliveredTime: '0',
    hasContent: m.hasContent,
    contentType: m.contentType,
    sessionId: 0,
    reactions: []
  }
}

function metadataOf(v: unknown): Record<string, string> {
  if (v === undefined || v === null) return {}
  if (!isObject(v) || !Object.values(v).every(isString)) throw talkError(0, 'invalid contentMetadata')
  return v as Record<string, string>
}

/** Checks and delivers a sent message; the same reqSeq from the same sender returns the first one. */
export function acceptSend(world: LineWorld, sender: string, reqSeq: number, msg: Record<string, unknown>): StoredMessage {
  const again = world.findSend(sender, reqSeq)
  if (again) return again
  const to = msg.to
  if (typeof to !== 'string') throw talkError(0, 'invalid argument: to')
  if (msg.from !== undefined && msg.from !== sender) throw talkError(0, 'invalid argument: from')
  const chat = world.chats.get(to)
  if (chat ? !chat.members.includes(sender) : !world.users.has(to)) throw talkError(chat ? 10 : 5, chat ? 'not a member' : 'not found')
  const contentType = msg.contentType === undefined ? 0 : msg.contentType
  if (!isInt(contentType)) throw talkError(0, 'invalid argument: contentType')
  const contentMetadata = metadataOf(msg.contentMetadata)
  const chunks = msg.chunks
  if (chunks !== undefined && chunks !== null) {
    if (!isStringArray(chunks) || chunks.length !== 5) throw talkError(81, 'invalid protocol')
    if (contentMetadata.e2eeVersion !== '2' && contentMetadata.e2eeVersion !== '1') throw talkError(86, 'invalid version')
    if (!canSeal(world, sender, to)) throw talkError(98, 'member settings off', {})
  } else if (contentType === 0 && (world.sealedOnly.has(to) || world.sealedOnly.has(sender)) && canSeal(world, sender, to)) {
    // spec §11.8: sealed chats reject plain text with 82.
    throw talkError(82, 'can not send using plain mode')
  }
  if (contentType === 14) checkFileMessage(world, contentMetadata, chunks !== undefined && chunks !== null)
  const text = msg.text
  if (text !== undefined && text !== null && typeof text !== 'string') throw talkError(0, 'invalid argument: text')
  const related = relationOf(world, sender, to, msg)
  return world.deliver(sender, reqSeq, {
    ...related,
    to,
    toType: chat ? 2 : 0,
    ...(typeof text === 'string' && !chunks ? { text } : {}),
    hasContent: msg.hasContent === true,
    contentType,
    contentMetadata,
    ...(isStringArray(chunks) ? { chunks } : {})
  })
}

/**
 * spec §10.1, §10.3: a file message carries FILE_SIZE, and a plain one FILE_NAME; a sealed one names its OBS
 * object under sid `emf`, which must already be there ("upload first, send after"). Past the world's limit: 47.
 */
function checkFileMessage(world: LineWorld, meta: Record<string, string>, sealed: boolean): void {
  const size = Number(meta.FILE_SIZE)
  if (!/^\d+$/.test(meta.FILE_SIZE ?? '') || size <= 0) throw talkError(0, 'invalid argument: FILE_SIZE')
  if (size > world.maxFileBytes) throw talkError(47, 'EXCEED_FILE_MAX_SIZE')
  if (sealed) {
    if (meta.SID !== 'emf' || !meta.OID || !world.objects.has(`emf/${meta.OID}`)) throw talkError(0, 'invalid argument: OID')
  } else if (!meta.FILE_NAME) throw talkError(0, 'invalid argument: FILE_NAME')
}

/** spec §6.1 fields 21, 22, 24: the message replied to must be one of the same chat. */
function relationOf(world: LineWorld, sender: string, to: string, msg: Record<string, unknown>): Partial<StoredMessage> {
  const id = msg.relatedMessageId
  if (id === undefined || id === null) return {}
  if (!isString(id) || !/^\d+$/.test(id)) throw talkError(0, 'invalid argument: relatedMessageId')
  const type = msg.messageRelationType ?? 3
  const service = msg.relatedMessageServiceCode ?? 1
  if (!isInt(type) || type < 0 || type > 3 || !isInt(service) || service < 0 || service > 2) throw talkError(0, 'invalid argument: messageRelationType')
  const original = world.messages.find((m) => m.id === id && !m.unsent)
  // A reply quotes a message of its own chat; a forward may name any the sender could see.
  if (!original || (type === 3 && world.chatFor(sender, original) !== to)) throw talkError(64, 'message not found')
  return { relatedMessageId: id, messageRelationType: type, relatedMessageServiceCode: service }
}

function profileJson(u: WorldUser): Record<string, unknown> {
  return {
    mid: u.mid,
    userid: '',
    email: u.email ?? '',
    regionCode: 'JP',
    displayName: u.displayName,
    phoneticName: '',
    pictureStatus: '',
    statusMessage: '',
    allowSearchByUserid: false,
    allowSearchByEmail: false,
    picturePath: u.picturePath ?? '',
    createdTimeMillis: '1500000000000'
  }
}

function contactJson(u: WorldUser): Record<string, unknown> {
  return {
    mid: u.mid,
    createdTime: '1500000000000',
    type: 0,
    status: 1,
    relation: 0,
    displayName: u.displayName,
    phoneticName: '',
    pictureStatus: '',
    picturePath: u.picturePath ?? '',
    statusMessage: '',
    displayNameOverridden: '',
    capableVoiceCall: true,
    capableVideoCall: true
  }
}

function chatJson(chat: WorldChat): Record<string, unknown> {
  const memberMids = Object.fromEntries(chat.members.map((m) => [m, String(chat.createdTime)]))
  return {
    type: 0,
    chatMid: chat.mid,
    createdTime: String(chat.createdTime),
    notificationDisabled: false,
    favoriteTimestamp: '0',
    chatName: chat.name,
    picturePath: chat.picturePath ?? '',
    extra: { groupExtra: { creator: chat.creator, preventedJoinByTicket: true, memberMids, inviteeMids: {} } }
  }
}

/** A stored message as history returns it (with deliveredTime). */
function historyJson(m: StoredMessage): Record<string, unknown> {
  return { ...LineWorld.wire(m), deliveredTime: String(m.createdTime) }
}

function newestFirst(list: StoredMessage[], count: number): Record<string, unknown>[] {
  return list.slice(-count).reverse().map(historyJson)
}

export function talkHandlers(): Record<string, Handler> {
  const me = (c: CallContext): WorldUser => c.world.user(c.mid)
  return {
    getProfile: (c) => profileJson(me(c)),
    getServerTime: () => String(Date.now()),
    getLastOpRevision: (c) => me(c).revision.toString(),
    getEncryptedIdentityV3: () => ({
      wrappedNonce: randomBytes(48).toString('base64'),
      kdfParameter1: randomBytes(16).toString('base64'),
      kdfParameter2: randomBytes(16).toString('base64')
    }),
    getSettings: () => ({ e2eeEnable: true }),
    getAllContactIds: (c) => [...me(c).contacts],
    getContactsV2: (c) => {
      const req = arg(c, 0, isObject, 'request')
      const mids = req.targetUserMids
      if (!isStringArray(mids)) throw talkError(0, 'invalid argument: targetUserMids')
      if (mids.length > 100) throw talkError(6, 'INVALID_LENGTH')
      const contacts: Record<string, unknown> = {}
      for (const mid of mids) {
        const u = c.world.users.get(mid)
        if (u) contacts[mid] = { userStatus: 0, snapshotTimeMillis: String(Date.now()), contact: contactJson(u), calendarEvents: {} }
      }
      return { contacts }
    },
    getAllChatMids: (c) => ({
      memberChatMids: [...c.world.chats.values()].filter((ch) => ch.members.includes(c.mid)).map((ch) => ch.mid),
      invitedChatMids: []
    }),
    getChats: (c) => {
      const req = arg(c, 0, isObject, 'request')
      if (!isStringArray(req.chatMids)) throw talkError(0, 'invalid argument: chatMids')
      if (req.chatMids.length > 100) throw talkError(6, 'INVALID_LENGTH')
      return {
        chats: req.chatMids
          .map((id) => c.world.chats.get(id))
          .filter((ch): ch is WorldChat => !!ch && ch.members.includes(c.mid))
          .map(chatJson)
      }
    },
    getMessageBoxes: (c) => {
      const req = arg(c, 0, isObject, 'request')
      const last = isInt(req.lastMessagesPerMessageBoxCount) ? req.lastMessagesPerMessageBoxCount : 1
      const limit = isInt(req.messageBoxCountLimit) ? req.messageBoxCountLimit : 100
      const boxes = c.world
        .boxesOf(c.mid)
        .slice(0, limit)
        .map((id) => {
          const list = c.world.conversation(c.mid, id)
          const newest = list.at(-1)!
          const read = c.world.lastRead.get(`${c.mid}:${id}`) ?? '0'
          const unreadCount = list.filter((m) => m.from !== c.mid && BigInt(m.id) > BigInt(read)).length
          return {
            id,
            midType: c.world.chats.has(id) ? 2 : 0,
            lastDeliveredMessageId: { deliveredTime: String(newest.createdTime), messageId: newest.id },
            unreadCount,
            lastMessages: newestFirst(list, last)
          }
        })
      return { messageBoxes: boxes, hasNext: false }
    },
    getRecentMessagesV2: (c) => newestFirst(c.world.conversation(c.mid, arg(c, 0, isString, 'messageBoxId')), Math.min(arg(c, 1, isInt, 'count'), 200)),
    getPreviousMessagesV2WithRequest: (c) => {
      const req = arg(c, 0, isObject, 'request')
      const end = req.endMessageId as { messageId?: unknown } | undefined
      if (!isString(req.messageBoxId) || !isI64(end?.messageId) || !isInt(req.messagesCount)) throw talkError(0, 'invalid argument: request')
      const before = BigInt(end.messageId)
      return newestFirst(
        c.world.conversation(c.mid, req.messageBoxId).filter((m) => BigInt(m.id) < before),
        Math.min(req.messagesCount, 200)
      )
    },
    sendMessage: (c) => sendResponse(acceptSend(c.world, c.mid, arg(c, 0, isInt, 'seq'), arg(c, 1, isObject, 'message'))),
    sendChatChecked: (c) => {
      const chat = arg(c, 1, isString, 'chatMid')
      const last = arg(c, 2, isString, 'lastMessageId')
      if (!/^\d+$/.test(last)) throw talkError(0, 'invalid argument: lastMessageId')
      c.world.readChat(c.mid, chat, last, arg(c, 0, isInt, 'seq'))
      return undefined
    },
    unsendMessage: (c) => {
      const id = arg(c, 1, isString, 'messageId')
      const m = c.world.messages.find((x) => x.id === id)
      if (!m) throw talkError(64, 'message not found')
      if (m.from !== c.mid) throw talkError(28, 'not your message')
      if (m.unsent) throw talkError(64, 'message not found')
      if (c.world.now() - m.createdTime > UNSEND_PERIOD_MS)
        throw talkError(71, 'message not destructible', { messageUnsendPeriodMillis: String(UNSEND_PERIOD_MS) })
      c.world.unsend(c.mid, id)
      return undefined
    },
    react: (c) => {
      const req = arg(c, 0, isObject, 'request')
      const type = isObject(req.reactionType) ? req.reactionType.predefinedReactionType : undefined
      if (!isInt(req.reqSeq) || !isI64(req.messageId) || !isInt(type)) throw talkError(0, 'invalid argument: request')
      // spec §6.2: 2…7 are the reactions; 0 ALL and 1 UNDO are not something to react with.
      if (type < 2 || type > 7) throw talkError(0, 'invalid argument: predefinedReactionType')
      reactOrThrow(c, String(req.messageId), type)
      return undefined
    },
    cancelReaction: (c) => {
      const req = arg(c, 0, isObject, 'request')
      if (!isInt(req.reqSeq) || !isI64(req.messageId)) throw talkError(0, 'invalid argument: request')
      reactOrThrow(c, String(req.messageId), null)
      return undefined
    },
    acquireEncryptedAccessToken: (c) => {
      const token = randomBytes(24).toString('base64url')
      c.world.obsTokens.set(token, c.mid)
      return `${Math.floor(Date.now() / 1000) + 3600}\u001e${token}`
    },
    determineMediaMessageFlow: (c) => {
      const chatMid = arg(c, 0, isObject, 'request').chatMid
      if (!isString(chatMid)) throw talkError(0, 'invalid argument: chatMid')
      const flow = canSeal(c.world, c.mid, chatMid) ? 2 : 1
      return { flowMap: { '1': flow, '2': flow, '3': flow, '14': flow }, cacheTtlMillis: '86400000' }
    }
  }
}

function reactOrThrow(c: CallContext, messageId: string, type: number | null): void {
  const m = c.world.messages.find((x) => x.id === messageId && !x.unsent)
  if (!m || !c.world.participantsOf(m).includes(c.mid)) throw talkError(64, 'message not found')
  c.world.react(c.mid, messageId, type)
}

/** getRSAKeyInfo is callable before login (spec §4.2). */
export const rsaHandler: Handler = (c) => {
  if (arg(c, 0, isInt, 'provider') !== 1) throw talkError(0, 'invalid argument: provider')
  const key = c.auth.newRsaKey()
  return { keynm: key.keynm, nvalue: key.nvalue, evalue: key.evalue, sessionKey: key.sessionKey }
}
