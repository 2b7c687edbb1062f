// The reference server's answers to the encrypted requests of spec §6.2: chat and contact
// queries, history pages, media refresh, relays (acked on the message-id tag, deduplicated
// by id), presence and read receipts.

import type { WANode } from '../../../src/main/networks/whatsapp/legacy/binary'
import { messageNode, type Connection } from './connection'
import { decodeInfo } from './proto'

const userJid = (jid: string): string => jid.replace(/@s\.whatsapp\.net$/, '@c.us')

function childrenOf(node: WANode): WANode[] {
  return Array.isArray(node[2]) ? node[2] : []
}

export function handleNode(conn: Connection, tag: string, node: WANode, flag: number): void {
  const [description, attrs] = node
  const a = attrs ?? {}
  // spec §6.1: only check that an epoch is a non-negative integer string.
  if ((description === 'query' || description === 'action') && !/^\d+$/.test(a.epoch ?? '')) {
    conn.server.note('bad-epoch', { tag, epoch: a.epoch })
    return conn.reply(tag, { status: 400 })
  }
  if (description === 'query') return handleQuery(conn, tag, a)
  if (description === 'action' && a.type === 'relay') return handleRelay(conn, tag, node, flag)
  if (description === 'action' && a.type === 'set') return handleSet(conn, tag, node)
  if (description === 'error' || description === 'response') return conn.server.note('client-answer', { tag, node })
  conn.reply(tag, { status: 400 })
}

function handleQuery(conn: Connection, tag: string, a: Record<string, string>): void {
  const account = conn.account!
  switch (a.type) {
    case 'chat':
      if (conn.pushedChats) return conn.sendNode(tag, ['response', { type: 'chat', duplicate: 'true' }, null])
      conn.pushedChats = true
      return conn.sendNode(tag, conn.chatList())
    case 'contacts':
      if (conn.pushedContacts) return conn.sendNode(tag, ['response', { type: 'contacts', duplicate: 'true' }, null])
      conn.pushedContacts = true
      return conn.sendNode(tag, conn.contactList())
    case 'message': {
      // spec §6.2: `count` before/after `index`, or the newest without one; oldest → newest; last="true" on the final page.
      const chat = account.chats.get(userJid(a.jid ?? ''))
      const count = Number(a.count ?? '0')
      if (!chat || !Number.isInteger(count) || count < 1 || (a.kind !== 'before' && a.kind !== 'after')) return conn.reply(tag, { status: 404 })
      const all = chat.messages
      let page = all.slice(-count)
      let last = all.length <= count
      if (a.index) {
        const at = all.findIndex((m) => m.id === a.index)
        if (at < 0) return conn.reply(tag, { status: 404 })
        if (a.kind === 'before') {
          page = all.slice(Math.max(0, at - count), at)
          last = at - count <= 0
        } else {
          page = all.slice(at + 1, at + 1 + count)
          last = at + 1 + count >= all.length
        }
      }
      conn.server.stats.historyQueries.push({ chat: chat.jid, kind: a.kind, index: a.index ?? null, count })
      const attrs: Record<string, string> = { add: a.kind }
      if (last) attrs.last = 'true'
      return conn.sendNode(tag, ['action', attrs, page.map(messageNode)])
    }
    case 'media': {
      // spec §6.2/§7.4: the phone re-uploads an expired file; the reply's attributes carry the new URL.
      const chat = account.chats.get(userJid(a.jid ?? ''))
      const message = chat?.messages.find((m) => m.id === a.index)
      const url = message ? conn.server.reupload(message) : null
      if (!url) return conn.reply(tag, { status: 404 })
      return conn.sendNode(tag, ['media', { type: 'media', url }, null])
    }
    default:
      return conn.reply(tag, { status: 404 })
  }
}

/** spec §6.2 relay: tag = key.id, `@s.whatsapp.net` keys, seconds timestamps; a repeated id is acked, not stored twice. */
function handleRelay(conn: Connection, tag: string, node: WANode, flag: number): void {
  const account = conn.account!
  const child = childrenOf(node)[0]
  if (!child || child[0] !== 'message' || !(child[2] instanceof Uint8Array)) return conn.reply(tag, { status: 400 })
  let info
  try {
    info = decodeInfo(child[2])
  } catch {
    return conn.reply(tag, { status: 400 })
  }
  const remote = info.key.remoteJid ?? ''
  const ts = Number(info.messageTimestamp ?? 0)
  const valid =
    info.key.fromMe === true &&
    info.key.id === tag &&
    /@(s\.whatsapp\.net|g\.us|broadcast)$/.test(remote) &&
    ts > 1_000_000_000 &&
    ts < 10_000_000_000 &&
    (info.status === undefined || info.status === 1)
  if (!valid) {
    conn.server.note('bad-relay', { tag, info })
    return conn.reply(tag, { status: 400 })
  }
  const chatJid = userJid(remote)
  const t = Math.floor(Date.now() / 1000)
  if (account.findMessage(chatJid, info.key.id)) {
    conn.server.stats.duplicateRelays++
    conn.reply(tag, { status: 200, t })
    conn.server.stats.acked.push(info.key.id)
    return
  }
  const message = account.store({ id: info.key.id, chat: chatJid, fromMe: true, timestamp: ts, content: info.message ?? {}, status: 2, fromWeb: true })
  revokeTarget(account, chatJid, info.message)
  account.chat(chatJid).unread = 0
  // spec §7.4: a picture or document names an upload; the contact's phone opens it (upload-host.ts).
  conn.server.uploads.phoneReceives(message)
  conn.server.recordRelay(account, message, flag)
  if (conn.server.script.dropOnNextRelay) {
    // The message is stored but the ack is lost with the connection: the client's retry must not make a second one.
    conn.server.script.dropOnNextRelay = false
    return conn.drop()
  }
  conn.sendText(`${tag},`) // spec §1.2: an empty acknowledgement first
  conn.reply(tag, { status: 200, t })
  conn.server.stats.acked.push(info.key.id)
  conn.server.afterRelay(account, message)
}

function handleSet(conn: Connection, tag: string, node: WANode): void {
  const account = conn.account!
  for (const [d, attrs] of childrenOf(node)) {
    const c = attrs ?? {}
    if (d === 'presence') conn.server.recordPresence(account, { type: c.type ?? '', to: c.to ? userJid(c.to) : null })
    else if (d === 'read' && c.jid && c.index) {
      const chat = account.chats.get(userJid(c.jid))
      if (!chat || !chat.messages.some((m) => m.id === c.index)) return conn.reply(tag, { status: 404 })
      conn.server.recordRead(account, chat, c.index, c.owner === 'true')
    }
  }
  conn.reply(tag, { status: 200 })
}

/**
 * spec §6.2: a relayed protocolMessage of type REVOKE (0) deletes the own message its key names:
 * the phone keeps it as a REVOKE stub (messageStubType 1), as WhatsApp shows "This message was deleted".
 */
function revokeTarget(
  account: NonNullable<Connection['account']>,
  chatJid: string,
  content: { protocolMessage?: { key?: { id?: string | null; fromMe?: boolean | null } | null; type?: number | null } | null } | null | undefined
): void {
  const p = content?.protocolMessage
  if (!p || (p.type ?? 0) !== 0 || !p.key?.id || p.key.fromMe !== true) return
  const target = account.findMessage(chatJid, p.key.id)
  if (!target || !target.fromMe) return
  delete target.content
  target.stubType = 1
}
