// A paired session against the reference server: the login sync (chats, contacts, last
// messages), history, text both ways, receipts both ways, typing both ways, pictures and
// stickers, group senders, and messages typed on the phone itself.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Credentials } from '../../../../../src/main/networks/connector'
import { messageIdFor } from '../../../../../src/main/networks/whatsapp/legacy/messages'
import { decodeInfo } from '../../../../servers/whatsapp/proto'
import type { SimulatedPhone } from '../../../../servers/whatsapp/phone'
import type { WhatsAppServer } from '../../../../servers/whatsapp/server'
import { eventually } from '../../../../helpers/events'
import { ALICE, BOB, CAROL, DAVE, mediaBytes, pairConnector, probe, startWorld, synced, TEAM, type Probe } from './fixture'

let server: WhatsAppServer
let phone: SimulatedPhone
let p: Probe
let credentials: Credentials

/** A small PNG (2×1, red and blue) for the picture tests. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAAEElEQVR4nGP4z8DwH4QZGAAi9QL+yJxv8gAAAABJRU5ErkJggg==', 'base64')

beforeEach(async () => {
  ;({ server, phone } = await startWorld())
  p = probe(server)
  ;({ credentials } = await pairConnector(p, phone))
  await synced(p.connector)
})

afterEach(async () => {
  await p.connector.close()
  await server.close()
})

const conn = () => [...server.connections][0]!

describe('WhatsApp sync', () => {
  it('returns the pushed chats, contacts and last messages from sync() and as events', async () => {
    const sync = await synced(p.connector)
    const byId = Object.fromEntries(sync.chats.map((c) => [c.remoteId, c]))
    expect(byId[BOB]).toMatchObject({ kind: 'direct', title: 'Bob Builder', unread: 0 })
    expect(byId[TEAM]).toMatchObject({ kind: 'group', title: 'Team' })
    expect(byId[BOB]!.lastActivity).toBe(phone.messages(BOB).at(-1)!.timestamp * 1000)
    expect(sync.contacts.map((c) => [c.remoteId, c.name]).sort()).toEqual([
      [BOB, 'Bob Builder'],
      [CAROL, 'Carol Singer'],
      [DAVE, 'Dave']
    ])
    expect(sync.messages.map((m) => m.text).sort()).toEqual(['how are you?', 'ok'])
    const teamLast = sync.messages.find((m) => m.chatRemoteId === TEAM)!
    expect(teamLast).toMatchObject({ senderId: DAVE, senderName: 'Dave', fromMe: false, kind: 'text' })
    expect([...new Set(p.of('chat').map((e) => e.chat.remoteId))].sort()).toEqual([BOB, TEAM].sort())
    // Chats come before their messages (titles) and again after them (the phone's unread counts).
    const types = p.events.map((e) => e.type)
    expect(types.indexOf('chat')).toBeLessThan(types.indexOf('message'))
    expect(types.lastIndexOf('chat')).toBeGreaterThan(types.lastIndexOf('message'))
    expect(p.of('contact')).toHaveLength(3)
    // Each last message is followed by its chat's cursor.
    expect(
      p
        .of('cursor')
        .map((e) => e.name)
        .sort()
    ).toEqual([`chat:${BOB}`, `chat:${TEAM}`].sort())
    // The lists were pushed, so the client did not query them again.
    expect(conn().received.filter((r) => r.node[0] === 'query')).toEqual([])
  })

  it('queries the lists itself when WhatsApp does not push them', async () => {
    await p.connector.close()
    server.script.withholdLists = true
    const q = probe(server)
    await pairConnector(q, phone)
    const sync = await synced(q.connector)
    expect(sync.chats).toHaveLength(2)
    expect(sync.contacts).toHaveLength(3)
    const queries = [...server.connections]
      .at(-1)!
      .received.map((r) => r.node)
      .filter((n) => n[0] === 'query')
    expect(queries.map((n) => [n[1]?.type, n[1]?.epoch])).toEqual([
      ['chat', expect.stringMatching(/^\d+$/)],
      ['contacts', expect.stringMatching(/^\d+$/)]
    ])
    await q.connector.close()
  })

  it('pages history in batches of 50 when asked for more', async () => {
    for (let i = 0; i < 120; i++) phone.sendAs(TEAM, `busy ${i}`, CAROL)
    await p.next('message', (e) => e.message.text === 'busy 119')
    const all = await p.connector.history(TEAM, null, 200)
    expect(all).toHaveLength(122)
    expect(all[0]!.text).toBe('busy 119')
    expect(all.at(-1)!.text).toBe('standup at 10')
    expect(new Set(all.map((m) => m.remoteId)).size).toBe(122)
    expect(server.stats.historyQueries.filter((q) => q.chat === TEAM).map((q) => q.count)).toEqual([50, 50, 50])
  })

  it('marks the contacts on the block list as blocked', async () => {
    await p.connector.close()
    server.accounts.get(ALICE)!.blocklist = [DAVE]
    const q = probe(server)
    await q.connector.restore(credentials, {})
    const sync = await synced(q.connector)
    expect(sync.contacts.filter((c) => c.blocked).map((c) => c.remoteId)).toEqual([DAVE])
    await q.connector.close()
  })

  it('pages history newest first with a kind="before" query anchored on a message', async () => {
    const [first, second, third] = phone.messages(BOB)
    const newest = await p.connector.history(BOB, null, 2)
    expect(newest.map((m) => m.remoteId)).toEqual([third!.id, second!.id])
    const older = await p.connector.history(BOB, { remoteId: second!.id, timestamp: second!.timestamp * 1000 }, 10)
    expect(older.map((m) => [m.remoteId, m.text, m.fromMe])).toEqual([[first!.id, 'hi Alice', false]])
    expect(server.stats.historyQueries.at(-1)).toEqual({ chat: BOB, kind: 'before', index: second!.id, count: 10 })
    expect(newest[1]).toMatchObject({ fromMe: true, senderId: ALICE, status: 'read', text: 'hi Bob' })
  })
})

describe('WhatsApp messages', () => {
  it('sends text as an action relay whose tag and key id come from the client id', async () => {
    const sent = await p.connector.send(BOB, 'client-1', { kind: 'text', text: 'Hello Bob' })
    const id = messageIdFor('client-1')
    expect(id).toMatch(/^3EB0[0-9A-F]{16}$/)
    expect(sent).toMatchObject({ remoteId: id, status: 'sent' })
    const relay = conn().received.find((r) => r.tag === id)!
    expect(relay).toMatchObject({ metric: 16, flag: 0x80 })
    expect(relay.node[0]).toBe('action')
    expect(relay.node[1]).toEqual({ type: 'relay', epoch: expect.stringMatching(/^\d+$/) })
    const info = decodeInfo((relay.node[2] as [string, null, Uint8Array][])[0]![2])
    expect(info).toMatchObject({ key: { remoteJid: '15550101@s.whatsapp.net', fromMe: true, id }, message: { conversation: 'Hello Bob' }, status: 1 })
    expect(Math.abs(info.messageTimestamp! - Date.now() / 1000)).toBeLessThan(5)
    expect(phone.messages(BOB).at(-1)).toMatchObject({ id, fromMe: true })
  })

  it('stamps requests with the WA Web epoch: one per batch of requests in flight together', async () => {
    const epochs = (): number[] =>
      conn()
        .received.filter((r) => r.node[0] === 'query')
        .map((r) => Number(r.node[1]!.epoch))
    await Promise.all([p.connector.history(BOB, null, 1), p.connector.history(TEAM, null, 1), p.connector.history(BOB, null, 2)])
    const batch = epochs()
    expect(new Set(batch).size).toBe(1)
    await p.connector.history(BOB, null, 1)
    expect(epochs().at(-1)).toBe(batch[0]! + 1)
  })

  it('sends a retry with the same id, which the server drops as a duplicate', async () => {
    const a = await p.connector.send(BOB, 'client-2', { kind: 'text', text: 'once' })
    const b = await p.connector.send(BOB, 'client-2', { kind: 'text', text: 'once' })
    expect(b.remoteId).toBe(a.remoteId)
    expect(server.stats.duplicateRelays).toBe(1)
    expect(phone.messages(BOB).filter((m) => m.id === a.remoteId)).toHaveLength(1)
  })

  it('deletes an own message for everyone with a REVOKE relay (spec §6.2), once even when retried', async () => {
    expect(p.connector.capabilities?.()).not.toMatchObject({ unsend: false })
    const sent = await p.connector.send(BOB, 'client-revoke', { kind: 'text', text: 'oops, wrong chat' })
    await p.connector.unsend!(BOB, sent.remoteId)
    await p.connector.unsend!(BOB, sent.remoteId)
    const revokes = conn().received.filter((r) => r.node[0] === 'action' && r.tag !== sent.remoteId && r.tag.startsWith('3EB0'))
    const infos = revokes.map((r) => decodeInfo((r.node[2] as [string, null, Uint8Array][])[0]![2]))
    const revoke = infos.find((i) => i.message?.protocolMessage)!
    expect(revoke).toMatchObject({
      key: { remoteJid: '15550101@s.whatsapp.net', fromMe: true },
      message: { protocolMessage: { key: { id: sent.remoteId, fromMe: true }, type: 0 } }
    })
    expect(revoke.key.id).not.toBe(sent.remoteId)
    // The retry was the same relay: the phone holds one revoke, and the message itself as a REVOKE stub.
    expect(phone.messages(BOB).filter((m) => m.content?.protocolMessage)).toHaveLength(1)
    expect(phone.messages(BOB).find((m) => m.id === sent.remoteId)).toMatchObject({ stubType: 1 })
    expect(phone.messages(BOB).find((m) => m.id === sent.remoteId)?.content).toBeUndefined()
  })

  it('receives text from a contact, with sender and cursor', async () => {
    const m = phone.sendAs(BOB, 'are you there?')
    const e = await p.next('message', (x) => x.message.remoteId === m.id)
    expect(e.message).toMatchObject({
      chatRemoteId: BOB,
      senderId: BOB,
      senderName: 'Bob',
      fromMe: false,
      kind: 'text',
      text: 'are you there?',
      timestamp: m.timestamp * 1000
    })
    expect((await p.next('cursor', (c) => c.name === `chat:${BOB}` && c.value.endsWith(m.id))).value).toBe(`${m.timestamp * 1000}|0|${m.id}`)
  })

  it('receives group messages with the participant as sender', async () => {
    const m = phone.sendAs(TEAM, 'lunch?', CAROL)
    const e = await p.next('message', (x) => x.message.remoteId === m.id)
    expect(e.message).toMatchObject({ chatRemoteId: TEAM, senderId: CAROL, senderName: 'Carol' })
  })

  it('mirrors messages typed on the phone as our own', async () => {
    const m = phone.sendFromPhone(BOB, 'sent from my phone')
    const e = await p.next('message', (x) => x.message.remoteId === m.id)
    expect(e.message).toMatchObject({ fromMe: true, senderId: ALICE, status: 'sent', text: 'sent from my phone' })
  })

  it('reports delivery and read receipts for what it sent', async () => {
    const a = await p.connector.send(BOB, 'c-a', { kind: 'text', text: 'one' })
    expect((await p.next('receipt', (r) => r.messageRemoteIds.includes(a.remoteId))).status).toBe('delivered')
    const b = await p.connector.send(BOB, 'c-b', { kind: 'text', text: 'two' })
    await p.next('receipt', (r) => r.messageRemoteIds.includes(b.remoteId) && r.status === 'delivered')
    phone.readBy(BOB)
    const read = await p.next('receipt', (r) => r.status === 'read')
    expect(read).toEqual({ type: 'receipt', chatRemoteId: BOB, messageRemoteIds: [a.remoteId, b.remoteId], status: 'read' })
  })

  it('attributes read receipts to the chat named in `to` (spec §6.5), in groups and for messages it has not seen', async () => {
    const g1 = await p.connector.send(TEAM, 'c-g1', { kind: 'text', text: 'team, read this' })
    const g2 = await p.connector.send(TEAM, 'c-g2', { kind: 'text', text: 'and this' })
    // A restart: the fresh connector has seen only the newest message of each chat (add=last).
    const fresh = probe(server)
    try {
      await fresh.connector.restore(credentials, {})
      await synced(fresh.connector)
      phone.readBy(TEAM, CAROL)
      const read = await fresh.next('receipt', (r) => r.status === 'read')
      expect(read).toEqual({ type: 'receipt', chatRemoteId: TEAM, messageRemoteIds: [g1.remoteId, g2.remoteId], status: 'read' })
      expect(fresh.of('receipt').filter((r) => r.status === 'read')).toHaveLength(1)
    } finally {
      await fresh.connector.close()
    }
  })

  it('sends read receipts for the newest incoming message (and its sender in groups)', async () => {
    const m = phone.sendAs(BOB, 'read me')
    await p.next('message', (x) => x.message.remoteId === m.id)
    await p.connector.markRead(BOB, null)
    expect(server.stats.reads.at(-1)).toEqual({ wid: ALICE, chat: BOB, index: m.id, owner: false })
    expect(server.accounts.get(ALICE)!.chats.get(BOB)!.unread).toBe(0)
    const g = phone.sendAs(TEAM, 'group news', DAVE)
    await p.next('message', (x) => x.message.remoteId === g.id)
    await p.connector.markRead(TEAM, g.id)
    const read = conn()
      .received.map((r) => r.node)
      .filter((n) => n[0] === 'action' && Array.isArray(n[2]) && n[2][0]?.[0] === 'read')
      .at(-1)!
    expect((read[2] as unknown as [string, Record<string, string>][])[0]![1]).toEqual({ jid: TEAM, index: g.id, owner: 'false', count: '1', participant: DAVE })
  })

  it('sends typing as presence composing/paused to the chat', async () => {
    await p.connector.setTyping(BOB, true)
    await p.connector.setTyping(BOB, false)
    expect(server.stats.presences.filter((x) => x.to !== null)).toEqual([
      { wid: ALICE, type: 'composing', to: BOB },
      { wid: ALICE, type: 'paused', to: BOB }
    ])
    const presence = conn().received.filter((r) => r.node[0] === 'action' && r.metric === 8)
    expect(presence.map((r) => r.flag)).toEqual([0xa0, 0x04, 0x04])
  })

  it('reports typing from contacts in subscribed chats, and stops it when their message arrives', async () => {
    await p.connector.markRead(BOB, null) // opening a chat subscribes to its presence
    await eventually(() => conn().subscriptions.has(BOB))
    expect(phone.typing(BOB, true)).toBe(true)
    expect(await p.next('typing')).toEqual({ type: 'typing', chatRemoteId: BOB, senderId: BOB, senderName: 'Bob Builder', typing: true })
    phone.sendAs(BOB, 'done typing')
    expect((await p.after('typing')).typing).toBe(false)
    await eventually(() => conn().subscriptions.has(TEAM))
    phone.typing(TEAM, true, CAROL)
    expect(await p.next('typing', (t) => t.chatRemoteId === TEAM)).toMatchObject({ senderId: CAROL, typing: true })
    phone.typing(TEAM, false, CAROL)
    expect(await p.next('typing', (t) => t.chatRemoteId === TEAM && !t.typing)).toMatchObject({ senderId: CAROL })
  })

  it('receives a picture with its media info and fetches, decrypts and verifies it', async () => {
    const m = phone.sendImageAs(BOB, PNG, { mime: 'image/png', width: 2, height: 1, caption: 'look' })
    const e = await p.next('message', (x) => x.message.remoteId === m.id)
    expect(e.message).toMatchObject({ kind: 'image', text: 'look', media: { mime: 'image/png', width: 2, height: 1, size: PNG.length } })
    const media = await p.connector.fetchMedia(BOB, m.id)
    expect(media.mime).toBe('image/png')
    expect((await mediaBytes(media)).equals(PNG)).toBe(true)
    expect(server.stats.mediaDownloads).toBe(1)
  })

  it('asks the phone to re-upload an expired picture, then fetches it', async () => {
    const m = phone.sendImageAs(BOB, PNG, { mime: 'image/png', width: 2, height: 1 })
    await p.next('message', (x) => x.message.remoteId === m.id)
    server.expireMediaOf(m)
    const media = await p.connector.fetchMedia(BOB, m.id)
    expect((await mediaBytes(media)).equals(PNG)).toBe(true)
    expect(server.notes.filter((n) => n.kind === 'reupload')).toHaveLength(1)
  })

  it('finds a picture it has not seen in this run through the chat history', async () => {
    const m = phone.sendImageAs(BOB, PNG, { mime: 'image/png', width: 2, height: 1 })
    await p.next('message', (x) => x.message.remoteId === m.id)
    // A restart: a new Connector restores the session and knows nothing of the picture yet.
    const fresh = probe(server)
    await fresh.connector.restore(credentials, {})
    const media = await fresh.connector.fetchMedia(BOB, m.id)
    expect((await mediaBytes(media)).equals(PNG)).toBe(true)
    await fresh.connector.close()
  })

  it('receives stickers as stickers', async () => {
    const m = phone.sendImageAs(TEAM, PNG, { mime: 'image/webp', width: 64, height: 64, sticker: true, from: DAVE })
    const e = await p.next('message', (x) => x.message.remoteId === m.id)
    expect(e.message).toMatchObject({ kind: 'sticker', senderId: DAVE, media: { mime: 'image/webp', width: 64, height: 64 } })
    expect((await mediaBytes(await p.connector.fetchMedia(TEAM, m.id))).equals(PNG)).toBe(true)
  })

  it('answers an unknown server query with error 501 on the same tag', async () => {
    conn().sendNode('srv-q-1', ['query', { type: 'call' }, null])
    const answer = (await eventually(() => server.notes.find((n) => n.kind === 'client-answer'))).data
    expect(answer.tag).toBe('srv-q-1')
    expect(answer.node).toEqual(['error', { code: '501', epoch: expect.stringMatching(/^\d+$/) }, null])
  })
})
