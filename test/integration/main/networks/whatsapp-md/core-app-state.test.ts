// WhatsApp multi-device app state inside Core (spec §9): what the phone pins, mutes and
// archives shows on the chat row (overriding the stored value), and a row action in
// Junction reaches the phone as an app-state patch it verifies.

import { afterEach, describe, expect, it } from 'vitest'
import { eventually } from '../../../../helpers/events'
import { MdCoreFixture, PHONE } from './core-fixture'

const SELF = `${PHONE}@s.whatsapp.net`
const BOB = '15557654321'
const BOB_JID = `${BOB}@s.whatsapp.net`

const f = new MdCoreFixture()
afterEach(() => f.close())

describe('WhatsApp multi-device app state in Core', () => {
  it('shows the phone’s pin, mute and archive on the chat row, and sends Junction’s back', async () => {
    const s = await f.start('wamd-core-appstate-')
    const harness = await f.link()
    await s.contact(BOB).sendText(SELF, 'hello')
    const row = async () => (await harness.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 50 })).chats.find((c) => c.remoteId === BOB_JID)
    const chat = await eventually(row)
    expect(chat).toMatchObject({ pinned: false, muted: false })
    await eventually(() => s.hub.world.account(PHONE).appState !== undefined && s.hub.world.account(PHONE).appState!.collections.regular_low !== undefined)

    s.appStateWrite(PHONE, 'regular_low', { index: ['pin_v1', BOB_JID], value: { timestamp: Date.now(), pinAction: { pinned: true } }, version: 5 })
    s.appStateWrite(PHONE, 'regular_high', {
      index: ['mute', BOB_JID],
      value: { timestamp: Date.now(), muteAction: { muted: true, muteEndTimestamp: -1 } },
      version: 2
    })
    await eventually(async () => (await row())?.pinned === true && (await row())?.muted === true)

    s.appStateWrite(PHONE, 'regular_low', { index: ['archive', BOB_JID], value: { timestamp: Date.now(), archiveChatAction: { archived: true } }, version: 3 })
    await eventually(async () => (await harness.core.handlers.listInbox({ filter: { kind: 'archived' }, limit: 50 })).chats.some((c) => c.remoteId === BOB_JID))

    await harness.core.handlers.updateChat({ chatId: chat.id, archived: false, pinned: false })
    const writes = () => s.hub.appState.writes.filter((w) => w.index[1] === BOB_JID).map((w) => w.index[0])
    await eventually(() => writes().includes('archive') && writes().includes('pin_v1'))
    expect(s.hub.appState.refused).toEqual([])
    expect(await row()).toMatchObject({ pinned: false, archived: false })
  })
})
