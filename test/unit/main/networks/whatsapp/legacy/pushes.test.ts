// Server pushes (spec §6.4/§6.5) decoded into the session's typed pushes.

import { describe, expect, it } from 'vitest'
import { parseJsonPush, parseNodePush } from '../../../../../../src/main/networks/whatsapp/legacy/pushes'
import { CursorBook, formatCursor, parseCursor } from '../../../../../../src/main/networks/whatsapp/legacy/cursors'
import { loginStatusError } from '../../../../../../src/main/networks/whatsapp/legacy/errors'

describe('WhatsApp pushes', () => {
  it('reads the preempt chat and contact lists', () => {
    expect(
      parseNodePush('preempt-1', [
        'response',
        { type: 'chat' },
        [['chat', { jid: '1@s.whatsapp.net', count: '3', t: '1600000000', name: 'X', archive: 'true', pin: '1' }, null]]
      ])
    ).toEqual([{ type: 'chats', preempt: true, chats: [{ jid: '1@c.us', name: 'X', unread: 3, t: 1600000000, archived: true, pinned: true }] }])
    expect(
      parseNodePush('5.--1', [
        'response',
        { type: 'contacts' },
        [
          ['user', { jid: '1@c.us', notify: 'N' }, null],
          ['user', {}, null]
        ]
      ])
    ).toEqual([{ type: 'contacts', preempt: false, contacts: [{ jid: '1@c.us', notify: 'N' }] }])
  })

  it('splits an action into messages and receipts in order', () => {
    const pushes = parseNodePush('t', [
      'action',
      { add: 'relay' },
      [
        ['message', null, new Uint8Array([1])],
        ['received', { jid: '2@c.us', index: 'M1', owner: 'true', type: 'read' }, null],
        ['received', { jid: '2@c.us', index: 'M2', owner: 'false', type: 'message' }, null],
        ['read', { jid: '3@c.us' }, null]
      ]
    ])
    expect(pushes).toEqual([
      { type: 'messages', add: 'relay', last: false, messages: [new Uint8Array([1])] },
      { type: 'receipt', receipt: { chat: '2@c.us', ids: ['M1'], ack: 3 } },
      { type: 'chatRead', chat: '3@c.us', unread: false }
    ])
    expect(parseNodePush('t', ['action', { add: 'last' }, []])).toEqual([{ type: 'messages', add: 'last', last: false, messages: [] }])
  })

  it('reads JSON pushes and ignores the unknown or malformed', () => {
    expect(parseJsonPush(['Presence', { id: '1@c.us', type: 'composing' }])).toEqual([{ type: 'presence', chat: '1@c.us', state: 'composing' }])
    expect(parseJsonPush(['MsgInfo', { cmd: 'ack', id: ['A', 'B'], ack: 3, from: '2@c.us', to: '1@c.us' }])).toEqual([
      { type: 'receipt', receipt: { ids: ['A', 'B'], ack: 3, from: '2@c.us', to: '1@c.us' } }
    ])
    expect(parseJsonPush(['Blocklist', { id: 1, blocklist: ['9@s.whatsapp.net'] }])).toEqual([{ type: 'blocklist', jids: ['9@c.us'] }])
    expect(parseJsonPush(['Cmd', { type: 'disconnect', kind: 'replaced' }])).toEqual([{ type: 'cmd', cmd: { type: 'disconnect', kind: 'replaced' } }])
    expect(parseJsonPush(['Presence', { nope: 1 }])).toEqual([])
    // spec §6.5: `t` is the last seen (unix seconds, a string in the table), `deny` that the contact hides it.
    expect(parseJsonPush(['Presence', { id: '1@s.whatsapp.net', type: 'unavailable', t: '1600000000' }])).toEqual([
      { type: 'presence', chat: '1@c.us', state: 'unavailable', lastSeen: 1_600_000_000_000 }
    ])
    expect(parseJsonPush(['Presence', { id: '1@c.us', type: 'unavailable', t: 1600000000 }])).toMatchObject([{ lastSeen: 1_600_000_000_000 }])
    expect(parseJsonPush(['Presence', { id: '1@c.us', type: 'unavailable', deny: true, t: '1600000000' }])).toEqual([
      { type: 'presence', chat: '1@c.us', state: 'unavailable', deny: true }
    ])
    for (const t of ['0', '-5', 'soon', '1e9', '99999999999999', 1.5])
      expect(parseJsonPush(['Presence', { id: '1@c.us', type: 'unavailable', t }])).toEqual([{ type: 'presence', chat: '1@c.us', state: 'unavailable' }])
    expect(parseJsonPush({ status: 200 })).toEqual([])
    expect(parseJsonPush(['Whatever', 1])).toEqual([])
  })
})

describe('WhatsApp Chat pushes (spec §6.5 group actions)', () => {
  const GID = '15550100-1600000000@g.us'
  it('reads promote and demote with their participants, and desc_add', () => {
    expect(
      parseJsonPush(['Chat', { id: GID, cmd: 'action', data: ['promote', '2@s.whatsapp.net', { participants: ['3@c.us', '4@s.whatsapp.net'] }] }])
    ).toEqual([{ type: 'groupAction', action: { chat: GID, kind: 'promote', actor: '2@c.us', participants: ['3@c.us', '4@c.us'] } }])
    expect(parseJsonPush(['Chat', { id: GID, cmd: 'action', data: ['demote', null, { participants: ['3@c.us'] }] }])).toEqual([
      { type: 'groupAction', action: { chat: GID, kind: 'demote', participants: ['3@c.us'] } }
    ])
    expect(parseJsonPush(['Chat', { id: GID, cmd: 'action', data: ['desc_add', '2@c.us', { desc: 'Hi', descId: 'X' }] }])).toEqual([
      { type: 'groupAction', action: { chat: GID, kind: 'description', actor: '2@c.us', participants: [] } }
    ])
  })

  it('ignores other kinds, other commands, non-groups and malformed bodies', () => {
    for (const body of [
      { id: GID, cmd: 'action', data: ['subject', '2@c.us', { subject: 'X' }] },
      { id: GID, cmd: 'other', data: ['promote', '2@c.us', { participants: ['3@c.us'] }] },
      { id: '3@c.us', cmd: 'action', data: ['promote', '2@c.us', { participants: ['3@c.us'] }] },
      { id: GID, cmd: 'action', data: ['promote', '2@c.us', { participants: [] }] },
      { id: GID, cmd: 'action', data: ['promote', '2@c.us', { participants: [7] }] },
      { id: GID, cmd: 'action', data: ['promote', '2@c.us'] },
      { id: GID, cmd: 'action', data: [] },
      { id: GID, cmd: 'action', data: [{ __proto__: 'promote' }] },
      { id: GID, cmd: 'action' }
    ])
      expect(parseJsonPush(['Chat', body])).toEqual([])
  })
})

describe('WhatsApp cursors and statuses', () => {
  it('formats and parses cursors, and only moves them forward', () => {
    expect(parseCursor(formatCursor({ ts: 5, id: 'A', fromMe: true }))).toEqual({ ts: 5, id: 'A', fromMe: true })
    expect(parseCursor('garbage')).toBeNull()
    const book = new CursorBook()
    book.load({ 'chat:1@c.us': '1000|0|A', other: 'x', 'chat:2@c.us': 'bad' })
    const m = { chatRemoteId: '1@c.us', senderId: '1@c.us', fromMe: false, kind: 'text' as const, text: '' }
    expect(book.advance({ ...m, remoteId: 'OLD', timestamp: 999 })).toBeNull()
    expect(book.advance({ ...m, remoteId: 'A', timestamp: 1000 })).toBeNull()
    expect(book.advance({ ...m, remoteId: 'B', timestamp: 1000 })).toEqual({ type: 'cursor', name: 'chat:1@c.us', value: '1000|0|B' })
    expect(book.get('2@c.us')).toBeUndefined()
  })

  it('maps every login status of spec §2.7 to a typed error', () => {
    expect(loginStatusError(401)).toMatchObject({ code: 'logged-out', reason: { code: 'logged-out-remotely' } })
    expect(loginStatusError(403, { tos: 2 })).toMatchObject({
      code: 'logged-out',
      message: expect.stringContaining('banned'),
      reason: { code: 'account-banned' }
    })
    expect(loginStatusError(403)).toMatchObject({ code: 'logged-out', reason: { code: 'credentials-refused' } })
    expect(loginStatusError(419)).toMatchObject({ code: 'logged-out', message: expect.stringContaining('expired'), reason: { code: 'session-expired' } })
    expect(loginStatusError(409)).toMatchObject({ code: 'conflict', message: 'Signed in elsewhere', retryable: false, reason: { code: 'signed-in-elsewhere' } })
    expect(loginStatusError(405)).toMatchObject({ code: 'network', retryable: true, reason: { code: 'server-unavailable', params: { detail: '405' } } })
    expect(loginStatusError(599)).toMatchObject({ code: 'unavailable', retryable: true, reason: { code: 'server-unavailable', params: { detail: '599' } } })
  })
})
