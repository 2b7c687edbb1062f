// The reference server's message router (spec §12.1): a device's `message` stanza — each `<to>`
// device gets its own `enc` (companions through their queue, simulated phones decrypt theirs and
// answer with a delivery or a retry receipt), a retry resend's single `enc` goes to the device it
// names, and group messages go through groups.ts. Every message is acked (with `phash` when the
// sender's device set was stale).

import type { BinaryNode } from '../../../src/main/networks/whatsapp/md/binary'
import type { WAMessage } from '../../../src/main/networks/whatsapp/md/proto'
import type { ServerConnection } from './connection'
import { routeGroupMessage } from './groups'
import { answerPeerData } from './peer-data'
import type { Hub } from './hub'
import { simRetryReceipt } from './sim-send'
import { bytesOf, child, children, deviceJid, node, SERVER, splitJid, unixNow } from './stanzas'

/** spec §12.1 router: each `<to>` device gets its own `enc`; simulated devices decrypt theirs. */
export async function routeMessage(hub: Hub, conn: ServerConnection, senderJid: string, msg: BinaryNode): Promise<void> {
  const id = msg.attrs.id ?? ''
  const sender = splitJid(senderJid)
  const chat = msg.attrs.to ?? ''
  const identity = child(msg, 'device-identity')
  if (chat.endsWith('@g.us')) {
    const phash = await routeGroupMessage(hub, senderJid, msg)
    hub.acked.push(id)
    if (phash) hub.phashMismatches.push(id)
    // spec §7.1: the server's own participant hash when the sender's device set was stale.
    return conn.send(node('ack', { class: 'message', id, t: unixNow(), from: chat, ...(phash ? { phash } : {}) }))
  }
  // A retry resend names one device and carries its `enc` directly (spec §7.4).
  const direct = child(msg, 'enc')
  const targets = direct ? [node('to', { jid: chat }, [direct])] : children(child(msg, 'participants'))
  for (const to of targets) {
    const target = splitJid(to.attrs.jid ?? '')
    const enc = child(to, 'enc')
    const body = bytesOf(enc)
    if (!enc || !body) continue
    if (target.device > 0) {
      const attrs: Record<string, string> = { from: senderJid, id, t: unixNow(), type: msg.attrs.type ?? 'text' }
      if (target.user === sender.user) attrs.recipient = msg.attrs.recipient ?? chat
      const content = [node('enc', enc.attrs, body), ...(identity ? [identity] : [])]
      hub.deliver(deviceJid(target.user, target.device), `message:${senderJid}:${id}`, node('message', attrs, content))
      continue
    }
    const phone = hub.world.phones.get(target.user)
    if (!phone) continue
    const noSession = enc.attrs.type === 'msg' && !phone.hasSession(`${sender.user}.${sender.device}`)
    try {
      const m: WAMessage = await phone.decrypt(`${sender.user}.${sender.device}`, enc.attrs.type ?? '', body)
      hub.world.save()
      // spec §7.4: our own companion asks its phone for a message it could not decrypt.
      if (target.user === sender.user && msg.attrs.category === 'peer') void answerPeerData(hub, senderJid, id, m)
      if (target.user !== sender.user) hub.decoded.push({ to: target.user, from: `${sender.user}@${SERVER}`, id, attrs: { ...msg.attrs }, message: m })
      if (target.user !== sender.user) hub.openFile(target.user, `${sender.user}@${SERVER}`, id, m)
      const text = m.conversation ?? m.extendedTextMessage?.text ?? mediaWords(m)
      if (target.user !== sender.user && text !== undefined) {
        if (hub.world.received.get(target.user)?.some((e) => e.id === id)) hub.duplicates++
        hub.world.record(target.user, { from: `${sender.user}@${SERVER}`, id, text })
        hub.deliver(senderJid, `receipt:${id}`, node('receipt', { from: `${target.user}@${SERVER}`, id, t: unixNow() }))
      }
    } catch {
      // spec §7.4: the phone asks the sending device for the message again.
      simRetryReceipt(hub, target.user, msg, senderJid, noSession)
    }
  }
  hub.acked.push(id)
  conn.send(node('ack', { class: 'message', id, t: unixNow(), from: chat }))
}

/**
 * spec §6.8, §12.1: a user's device list changed; every online companion hears it as
 * `<notification type="devices">` (its own account's change included), queued until acked.
 */
export function announceDevices(hub: Hub, number: string): void {
  const id = hub.nextId()
  const devices = hub.world.devices(number).map((d) => node('device', { jid: deviceJid(number, d) }))
  const n = node('notification', { from: `${number}@${SERVER}`, type: 'devices', id, t: unixNow() }, [node('update', { device_hash: `2:${id}` }, devices)])
  for (const jid of hub.online.keys()) hub.deliver(jid, `notification:${id}`, n)
}

/** What the contact's phone shows for a photo, file, video, voice note or sticker (the phone page's "received"). */
function mediaWords(m: WAMessage): string | undefined {
  if (m.imageMessage) return m.imageMessage.caption ? `[photo] ${m.imageMessage.caption}` : '[photo]'
  if (m.documentMessage) return `[${m.documentMessage.fileName || 'document'}]`
  if (m.videoMessage) return '[video]'
  if (m.audioMessage) return '[voice message]'
  if (m.stickerMessage) return '[sticker]'
  return undefined
}
