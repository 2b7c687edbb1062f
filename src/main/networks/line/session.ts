// The request layer: TalkService and AuthService over the gateway (transport.ts), one typed
// method per Thrift method, with the bodies of spec §5 and capture 002 (argument order,
// trailing SyncReason, `[{}]`).

import { SERVICE, type GatewayClient } from './transport'
import {
  AllChatMidsWire,
  ChatsWire,
  ContactsV2Wire,
  E2EEPublicKeyWire,
  GroupSharedKeyWire,
  LoginResultWire,
  MediaFlowWire,
  MessageBoxesWire,
  MessageListWire,
  MessageWire,
  NegotiationWire,
  parseWire,
  ProfileWire,
  PublicKeyMapWire,
  RsaKeyWire,
  type Message
} from './wire'
import { ProtocolError } from '../../../shared/errors'

/** spec §5: SyncReason, the trailing integer of many Chrome calls. */
const SYNC = { INITIALIZATION: 2, FULL_SYNC: 4, UNKNOWN: 1 } as const
/** spec §5: keyVersion 1 for group keys on the gateway (spec §13). */
const GROUP_KEY_VERSION = 1

/** spec §4.2: LoginRequest, fields in the order the extension sends them (capture 002). */
export interface LoginRequestWire {
  type: 0 | 1 | 2
  identityProvider: 1
  identifier: string
  password: string
  keepLoggedIn: false
  accessLocation: string
  systemName: string
  certificate: string
  verifier: string
  secret: string
  e2eeVersion: 1
  modelName: string
}

export class TalkApi {
  constructor(readonly gateway: GatewayClient) {}

  private talk(method: string, args: unknown[]): Promise<unknown> {
    return this.gateway.call(SERVICE.talk, method, args)
  }

  async getProfile() {
    return parseWire(ProfileWire, await this.talk('getProfile', [SYNC.INITIALIZATION]), 'the profile')
  }

  async getLastOpRevision(): Promise<string> {
    const rev = await this.talk('getLastOpRevision', [])
    if ((typeof rev !== 'string' && typeof rev !== 'number') || !/^-?\d+$/.test(String(rev)))
      throw new ProtocolError('LINE sent a revision that is not a number.')
    return String(rev)
  }

  async getAllContactIds(): Promise<string[]> {
    const ids = await this.talk('getAllContactIds', [SYNC.FULL_SYNC])
    if (!Array.isArray(ids) || !ids.every((i) => typeof i === 'string')) throw new ProtocolError('LINE sent contact ids in an unexpected shape.')
    return ids as string[]
  }

  async getContactsV2(mids: string[]) {
    const data = await this.talk('getContactsV2', [{ targetUserMids: mids, neededContactCalendarEvents: [] }, SYNC.FULL_SYNC])
    return parseWire(ContactsV2Wire, data, 'contacts')
  }

  async getAllChatMids() {
    return parseWire(AllChatMidsWire, await this.talk('getAllChatMids', [{ withMemberChats: true, withInvitedChats: true }, SYNC.FULL_SYNC]), 'chat ids')
  }

  async getChats(chatMids: string[]) {
    const data = await this.talk('getChats', [{ chatMids, withMembers: true, withInvitees: true }, SYNC.INITIALIZATION])
    return parseWire(ChatsWire, data, 'chats').chats
  }

  async getMessageBoxes(limit: number, lastMessages: number) {
    const request = {
      minChatId: null,
      activeOnly: true,
      unreadOnly: false,
      messageBoxCountLimit: limit,
      withUnreadCount: true,
      lastMessagesPerMessageBoxCount: lastMessages
    }
    return parseWire(MessageBoxesWire, await this.talk('getMessageBoxes', [request, SYNC.INITIALIZATION]), 'message boxes')
  }

  async getRecentMessagesV2(chatMid: string, count: number): Promise<Message[]> {
    return parseWire(MessageListWire, await this.talk('getRecentMessagesV2', [chatMid, count]), 'messages')
  }

  async getPreviousMessages(chatMid: string, end: { deliveredTime: string; messageId: string }, count: number): Promise<Message[]> {
    const request = { messageBoxId: chatMid, endMessageId: end, messagesCount: count }
    return parseWire(MessageListWire, await this.talk('getPreviousMessagesV2WithRequest', [request, SYNC.UNKNOWN]), 'messages')
  }

  async sendMessage(reqSeq: number, message: Record<string, unknown>): Promise<Message> {
    return parseWire(MessageWire, await this.talk('sendMessage', [reqSeq, message]), 'a sent message')
  }

  /** spec §5: unsendMessage `[reqSeq, messageId]` (71 after 24 h, 28 not yours, 64 not found). */
  async unsendMessage(reqSeq: number, messageId: string): Promise<void> {
    await this.talk('unsendMessage', [reqSeq, messageId])
  }

  /** spec §5: react with one of the predefined reactions (§6.2 PredefinedReactionType). */
  async react(reqSeq: number, messageId: string, predefinedReactionType: number): Promise<void> {
    await this.talk('react', [{ reqSeq, messageId, reactionType: { predefinedReactionType } }])
  }

  async cancelReaction(reqSeq: number, messageId: string): Promise<void> {
    await this.talk('cancelReaction', [{ reqSeq, messageId }])
  }

  async sendChatChecked(reqSeq: number, chatMid: string, lastMessageId: string): Promise<void> {
    await this.talk('sendChatChecked', [reqSeq, chatMid, lastMessageId, 0])
  }

  async getRSAKeyInfo() {
    return parseWire(RsaKeyWire, await this.talk('getRSAKeyInfo', [1]), 'the RSA key')
  }

  async negotiateE2EEPublicKey(mid: string) {
    return parseWire(NegotiationWire, await this.talk('negotiateE2EEPublicKey', [mid]), 'a key negotiation')
  }

  async getE2EEPublicKey(mid: string, version: number, keyId: number) {
    return parseWire(E2EEPublicKeyWire, await this.talk('getE2EEPublicKey', [mid, version, keyId]), 'a public key')
  }

  async getLastE2EEPublicKeys(chatMid: string) {
    return parseWire(PublicKeyMapWire, await this.talk('getLastE2EEPublicKeys', [chatMid]), 'group public keys')
  }

  async getLastE2EEGroupSharedKey(chatMid: string) {
    return parseWire(GroupSharedKeyWire, await this.talk('getLastE2EEGroupSharedKey', [GROUP_KEY_VERSION, chatMid]), 'a group key')
  }

  async getE2EEGroupSharedKey(chatMid: string, groupKeyId: number) {
    return parseWire(GroupSharedKeyWire, await this.talk('getE2EEGroupSharedKey', [GROUP_KEY_VERSION, chatMid, groupKeyId]), 'a group key')
  }

  async registerE2EEGroupKey(chatMid: string, members: string[], keyIds: number[], encryptedSharedKeys: string[]) {
    const data = await this.talk('registerE2EEGroupKey', [GROUP_KEY_VERSION, chatMid, members, keyIds, encryptedSharedKeys])
    return parseWire(GroupSharedKeyWire, data, 'a group key')
  }

  /** spec §10.1: `"<expirySec>\x1e<token>"` for OBS (FeatureType 2 = OBS_GENERAL). */
  async acquireEncryptedAccessToken(): Promise<{ token: string; expiresAtMs: number }> {
    const raw = await this.talk('acquireEncryptedAccessToken', [2])
    const [expiry, token] = typeof raw === 'string' ? raw.split('\u001e') : []
    if (!token) throw new ProtocolError('LINE sent an OBS token in an unexpected shape.')
    const seconds = Number(expiry)
    return { token, expiresAtMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : Date.now() + 600_000 }
  }

  /** spec §10.1: per content type, 1 = plain flow, 2 = sealed flow. */
  async determineMediaMessageFlow(chatMid: string): Promise<Record<string, number>> {
    return parseWire(MediaFlowWire, await this.talk('determineMediaMessageFlow', [{ chatMid }]), 'a media flow').flowMap
  }

  // ---- AuthService (spec §4.2, §4.3) ------------------------------------------------------

  async loginV2(request: LoginRequestWire) {
    return parseWire(LoginResultWire, await this.gateway.call(SERVICE.auth, 'loginV2', [request]), 'a login result')
  }

  async confirmE2EELogin(verifier: string, deviceSecretB64: string): Promise<string> {
    const data = await this.gateway.call(SERVICE.auth, 'confirmE2EELogin', [verifier, deviceSecretB64])
    if (typeof data !== 'string' || data === '') throw new ProtocolError('LINE sent a verifier in an unexpected shape.')
    return data
  }

  async logoutV2(): Promise<void> {
    await this.gateway.call(SERVICE.auth, 'logoutV2', [])
  }
}
