// spec §9.6: decoded app-state mutations → Junction events, and chat-state changes → the
// mutations (index, collection, SyncActionData.version) the table names.

import { describe, expect, it } from 'vitest'
import { chatStateMutations, mutationEvents } from '../../../../../../src/main/networks/whatsapp/md/app-state/actions'
import { REMOVE, SET } from '../../../../../../src/main/networks/whatsapp/md/app-state/crypto'

const CHAT = '15557654321@s.whatsapp.net'
const NOW = 1_700_000_000_000

describe('app-state mutations as events', () => {
  it('reads mute (with its end), pin, archive, read marks, contact names and the push name', () => {
    const events = mutationEvents(
      [
        { operation: SET, index: ['mute', CHAT], value: { muteAction: { muted: true, muteEndTimestamp: NOW + 1 } } },
        { operation: SET, index: ['mute', 'a@s.whatsapp.net'], value: { muteAction: { muted: true, muteEndTimestamp: NOW - 1 } } },
        { operation: SET, index: ['mute', 'b@s.whatsapp.net'], value: { muteAction: { muted: true, muteEndTimestamp: -1 } } },
        { operation: SET, index: ['pin_v1', CHAT], value: { pinAction: { pinned: true } } },
        { operation: SET, index: ['archive', CHAT], value: { archiveChatAction: { archived: false } } },
        { operation: SET, index: ['markChatAsRead', CHAT], value: { markChatAsReadAction: { read: true } } },
        { operation: SET, index: ['markChatAsRead', 'c@s.whatsapp.net'], value: { markChatAsReadAction: { read: false } } },
        { operation: SET, index: ['contact', CHAT], value: { contactAction: { fullName: 'Bob Builder', firstName: 'Bob' } } },
        { operation: SET, index: ['setting_pushName'], value: { pushNameSetting: { name: 'Me' } } }
      ],
      NOW
    )
    expect(events).toEqual([
      { type: 'chatState', chatRemoteId: CHAT, muted: true },
      { type: 'chatState', chatRemoteId: 'a@s.whatsapp.net', muted: false },
      { type: 'chatState', chatRemoteId: 'b@s.whatsapp.net', muted: true },
      { type: 'chatState', chatRemoteId: CHAT, pinned: true },
      { type: 'chatState', chatRemoteId: CHAT, archived: false },
      { type: 'chatRead', chatRemoteId: CHAT },
      { type: 'chatState', chatRemoteId: 'c@s.whatsapp.net', unread: true },
      { type: 'contact', contact: { remoteId: CHAT, name: 'Bob Builder' } },
      { type: 'profile', displayName: 'Me' }
    ])
  })

  it('ignores removals, unknown indexes and actions that do not match their index', () => {
    expect(
      mutationEvents(
        [
          { operation: REMOVE, index: ['contact', CHAT], value: {} },
          { operation: SET, index: ['star', CHAT, 'ID', '1', '0'], value: { starAction: { starred: true } } },
          { operation: SET, index: ['pin_v1', CHAT], value: { muteAction: { muted: true } } },
          { operation: SET, index: [], value: {} }
        ],
        NOW
      )
    ).toEqual([])
  })
})

describe('chat-state changes as mutations', () => {
  it('follows the §9.6 table', () => {
    const out = chatStateMutations(CHAT, { pinned: true, muted: false, archived: true, unread: true }, NOW)
    expect(out.map((m) => [m.collection, m.mutation.index, m.mutation.version])).toEqual([
      ['regular_high', ['mute', CHAT], 2],
      ['regular_low', ['pin_v1', CHAT], 5],
      ['regular_low', ['archive', CHAT], 3],
      ['regular_low', ['markChatAsRead', CHAT], 3]
    ])
    expect(out[0]!.mutation.value).toEqual({ timestamp: NOW, muteAction: { muted: false } })
    expect(out[3]!.mutation.value.markChatAsReadAction).toMatchObject({ read: false })
    expect(chatStateMutations(CHAT, {}, NOW)).toEqual([])
  })
})
