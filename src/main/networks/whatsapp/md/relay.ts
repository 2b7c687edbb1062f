// One outgoing message stanza and the server's ack for it (spec §7.1 "Server ack"). A send in
// flight when the connection drops fails at once as a retryable network error — Core sends it
// again under the same client id, hence the same message id (Outbound.messageId), so the
// recipient keeps one copy (spec §7.7: the receiver keys by chat, sender and id). A `phash` in
// the ack drops the cached device lists (and the group's metadata), and in a group the devices
// we missed get the message under the same id (spec §7.1, §13.11).

import { JunctionError } from '../../../../shared/errors'
import type { BinaryNode } from './binary'
import { sendToMissingDevices } from './group-send'
import { isGroupJid } from './groups'
import type { Outbound } from './outbound'
import type { MdSession } from './session'

export interface AckWaiters {
  session: MdSession
  acks: Map<string, (ack: BinaryNode) => void>
}

export async function relayStanza(live: AckWaiters, outbound: Outbound, chat: string, id: string, stanza: BinaryNode, timeoutMs: number): Promise<BinaryNode> {
  const ack = await new Promise<BinaryNode>((resolve, reject) => {
    let settled = false
    const finish = (error: unknown, a?: BinaryNode): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      live.acks.delete(id)
      if (a) resolve(a)
      else reject(error)
    }
    const timer = setTimeout(() => finish(new JunctionError('timeout', 'WhatsApp did not confirm the message.', { retryable: true })), timeoutMs)
    live.acks.set(id, (a) => finish(null, a))
    void live.session.ended.then(() =>
      finish(new JunctionError('network', 'The WhatsApp connection dropped before the message was confirmed.', { retryable: true }))
    )
    try {
      live.session.send(stanza)
    } catch (error) {
      finish(error)
    }
  })
  if (ack.attrs.error)
    throw new JunctionError('rejected', `WhatsApp did not deliver the message (${ack.attrs.error}).`, {
      detail: ack.attrs.error,
      reason: { code: 'refused', params: { detail: ack.attrs.error } }
    })
  if (ack.attrs.phash) {
    outbound.forgetDevices()
    if (isGroupJid(chat)) {
      outbound.groups.forget(chat)
      void sendToMissingDevices(outbound, live.session, chat, id).catch(() => undefined)
    }
  }
  return ack
}
