// Letter Sealing key services of the reference server (spec §5, §8.7, §11.8) in both
// situations of capture 002: keys available, and "member settings off" / "not found".

import { arg, isInt, isString, isStringArray, type CallContext, type Handler } from './handlers'
import { talkError } from './http-util'
import type { ServerKey } from './server-crypto'
import type { GroupKeyRecord, LineWorld } from './world'

/** Content types a sealed chat allows (spec §5 negotiateE2EEPublicKey: `[0,15,…]`). */
export const SEALABLE_TYPES = [0, 1, 2, 3, 7, 14, 15]

export function keyJson(key: ServerKey): Record<string, unknown> {
  return { version: 1, keyId: key.keyId, keyData: key.pub.toString('base64'), createdTime: '1700000000000' }
}

/** Whether a message from `sender` to `to` may be sealed: everyone involved has sealing on. */
export function canSeal(world: LineWorld, sender: string, to: string): boolean {
  const chat = world.chats.get(to)
  const members = chat ? chat.members : [sender, to]
  return members.every((m) => world.users.get(m)?.sealing === true)
}

function member(c: CallContext, chatMid: string): void {
  const chat = c.world.chats.get(chatMid)
  if (!chat) throw talkError(5, 'not found')
  if (!chat.members.includes(c.mid)) throw talkError(10, 'not a member')
}

function entryFor(record: GroupKeyRecord, mid: string, chatMid: string): Record<string, unknown> {
  const e = record.entries.get(mid)
  if (!e) throw talkError(5, 'not found')
  return {
    keyVersion: 1,
    groupKeyId: record.groupKeyId,
    creator: record.creator,
    creatorKeyId: record.creatorKeyId,
    receiver: mid,
    receiverKeyId: e.keyId,
    encryptedSharedKey: e.encryptedSharedKey,
    allowedTypes: SEALABLE_TYPES,
    specVersion: 2,
    chatMid
  }
}

export function e2eeHandlers(): Record<string, Handler> {
  return {
    negotiateE2EEPublicKey: (c) => {
      const peer = c.world.users.get(arg(c, 0, isString, 'mid'))
      if (!peer) throw talkError(5, 'not found')
      // capture 002 step 5: a Letter Sealing off peer → `{"allowedTypes":[],"specVersion":-1}`.
      if (!peer.sealing || !c.world.user(c.mid).sealing) return { allowedTypes: [], specVersion: -1 }
      return { allowedTypes: SEALABLE_TYPES, publicKey: keyJson(c.world.activeKey(peer)), specVersion: 2 }
    },
    getE2EEPublicKey: (c) => {
      const user = c.world.users.get(arg(c, 0, isString, 'mid'))
      const keyId = arg(c, 2, isInt, 'keyId')
      const key = user?.sealing ? user.keys.find((k) => k.keyId === keyId) : undefined
      if (!key) throw talkError(5, 'not found')
      return keyJson(key)
    },
    getLastE2EEPublicKeys: (c) => {
      const chatMid = arg(c, 0, isString, 'chatMid')
      member(c, chatMid)
      const chat = c.world.chats.get(chatMid)!
      // capture 002 step 7: some member has sealing off → 98 "member settings off", parameterMap {}.
      if (chat.members.some((m) => !c.world.user(m).sealing)) throw talkError(98, 'member settings off', {})
      return Object.fromEntries(chat.members.map((m) => [m, keyJson(c.world.activeKey(c.world.user(m)))]))
    },
    getLastE2EEGroupSharedKey: (c) => {
      const chatMid = arg(c, 1, isString, 'chatMid')
      member(c, chatMid)
      const record = c.world.groupKeys.get(chatMid)?.at(-1)
      // capture 002 step 7: no group key registered → 5 "not found", parameterMap null.
      if (!record) throw talkError(5, 'not found')
      return entryFor(record, c.mid, chatMid)
    },
    getE2EEGroupSharedKey: (c) => {
      const chatMid = arg(c, 1, isString, 'chatMid')
      const groupKeyId = arg(c, 2, isInt, 'groupKeyId')
      member(c, chatMid)
      const record = c.world.groupKeys.get(chatMid)?.find((r) => r.groupKeyId === groupKeyId)
      if (!record) throw talkError(5, 'not found')
      return entryFor(record, c.mid, chatMid)
    },
    registerE2EEGroupKey: (c) => {
      const chatMid = arg(c, 1, isString, 'chatMid')
      const members = arg(c, 2, isStringArray, 'members')
      const keyIds = arg(c, 3, (v): v is number[] => Array.isArray(v) && v.every(isInt), 'keyIds')
      const keys = arg(c, 4, isStringArray, 'encryptedSharedKeys')
      member(c, chatMid)
      const chat = c.world.chats.get(chatMid)!
      if (chat.members.some((m) => !c.world.user(m).sealing)) throw talkError(98, 'member settings off', {})
      const current = new Set(chat.members)
      const stale = members.length !== current.size || members.some((m, i) => !current.has(m) || c.world.activeKey(c.world.user(m)).keyId !== keyIds[i])
      // spec §5: 99 E2EE_RECREATE_GROUP_KEY when the member list or keys are not current.
      if (stale || keys.length !== members.length) throw talkError(99, 'recreate group key')
      const record: GroupKeyRecord = { groupKeyId: c.world.nextGroupKeyId(), creator: c.mid, creatorKeyId: keyIds[members.indexOf(c.mid)]!, entries: new Map() }
      members.forEach((m, i) => record.entries.set(m, { keyId: keyIds[i]!, encryptedSharedKey: keys[i]! }))
      c.world.groupKeys.set(chatMid, [...(c.world.groupKeys.get(chatMid) ?? []), record])
      return entryFor(record, c.mid, chatMid)
    }
  }
}
