// The simulated phone's side of peer data requests (spec §7.4 placeholder resend, §6.11 peer
// messages): a linked companion that could not decrypt a message asks its own phone with
// protocolMessage{type 16, peerDataOperationRequestMessage{type 4, placeholderMessageResendRequest[]}};
// the phone looks the message up in what it knows of the chat (the world's record of what the
// contact sent) and answers with protocolMessage{type 17, peerDataOperationRequestResponseMessage}
// carrying each message as WebMessageInfo bytes (the history-sync shape, spec §10.2). The field
// numbers are WhatsApp's WAProto (not in the spec). Written from the spec, sharing only the codec.

import { encodeProto, type WAMessage } from '../../../src/main/networks/whatsapp/md/proto'
import type { Hub } from './hub'
import { newMessageId, type SimSent } from './sim-send'
import { deviceJid, node, SERVER, splitJid, unixNow } from './stanzas'

interface Key {
  remoteJid?: string
  fromMe?: boolean
  id?: string
  participant?: string
}
interface Request {
  peerDataOperationRequestType?: number
  placeholderMessageResendRequest?: { messageKey?: Key }[]
}

/** `m` (stanza `requestId`) came from our own companion `fromJid` as a peer message; a placeholder request is answered, the rest ignored. */
export async function answerPeerData(hub: Hub, fromJid: string, requestId: string, m: WAMessage): Promise<void> {
  const pm = m.protocolMessage as (WAMessage['protocolMessage'] & { peerDataOperationRequestMessage?: Request }) | undefined
  const request = pm?.peerDataOperationRequestMessage
  if (pm?.type !== 16 || request?.peerDataOperationRequestType !== 4) return
  const companion = splitJid(fromJid)
  const phone = hub.world.phones.get(companion.user)
  if (!phone) return
  const results: { placeholderMessageResendResponse: { webMessageInfoBytes: Uint8Array } }[] = []
  for (const r of request.placeholderMessageResendRequest ?? []) {
    const key = r.messageKey
    const sent = key?.id ? hub.simSent.get(key.id) : undefined
    if (!key?.id || !sent || !phoneKnows(hub, companion.user, key, sent)) continue
    const info = {
      key: sent.group
        ? { remoteJid: sent.group, fromMe: false, id: key.id, participant: sent.attrs.participant }
        : { remoteJid: `${sent.from}@${SERVER}`, fromMe: false, id: key.id },
      message: sent.message,
      messageTimestamp: Number(sent.attrs.t ?? 0),
      ...(sent.attrs.notify ? { pushName: sent.attrs.notify } : {})
    }
    results.push({ placeholderMessageResendResponse: { webMessageInfoBytes: encodeProto('WebMessageInfo', info) } })
    hub.placeholdersAnswered.push(`${fromJid}:${key.id}`)
  }
  if (!results.length) return
  const answer = {
    protocolMessage: {
      type: 17,
      peerDataOperationRequestResponseMessage: { peerDataOperationRequestType: 4, stanzaId: requestId, peerDataOperationResult: results }
    }
  }
  await sendFromPhone(hub, fromJid, answer as WAMessage)
}

/**
 * The phone knows the chat's messages: a contact's 1:1 message to this account, or a member's
 * message in a group this account is in — its author named by number or by LID (spec §6.9).
 */
function phoneKnows(hub: Hub, account: string, key: Key, sent: SimSent): boolean {
  if (!sent.group) return sent.to === account && splitJid(key.remoteJid ?? '').user === sent.from
  const author = splitJid(key.participant ?? '')
  const g = hub.world.groups.get(splitJid(sent.group).user)
  return key.remoteJid === sent.group && !!g?.members.includes(account) && hub.world.numberOf(author.user, author.server) === sent.from
}

/** A peer message from the phone (device 0) to one of its own companions (spec §6.11). */
export async function sendFromPhone(hub: Hub, toJid: string, message: WAMessage): Promise<string> {
  const target = splitJid(toJid)
  const phone = hub.world.phones.get(target.user)!
  const enc = await phone.encrypt(`${target.user}.${target.device}`, message, () => hub.bundleFor(target.user, target.device))
  const id = newMessageId()
  const from = `${target.user}@${SERVER}`
  hub.deliver(
    deviceJid(target.user, target.device),
    `message:${from}:${id}`,
    node('message', { from, id, t: unixNow(), type: 'text', category: 'peer' }, [node('enc', { v: '2', type: enc.type }, enc.body)])
  )
  hub.world.save()
  return id
}
