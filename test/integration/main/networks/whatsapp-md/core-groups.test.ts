// WhatsApp multi-device groups inside Core (spec §11): a group the phone is in shows as a
// group chat with its title and members, a contact's message lands in it under its author,
// a send through Core reaches the members, and a subject change renames the chat.

import { afterEach, describe, expect, it } from 'vitest'
import { eventually } from '../../../../helpers/events'
import { MdCoreFixture, PHONE } from './core-fixture'

const BOB = '15557654321'
const CAROL = '15553330000'

const f = new MdCoreFixture()
afterEach(() => f.close())

describe('WhatsApp multi-device groups in Core', () => {
  it('shows the group with its members, its messages by author, sends to it and follows a rename', async () => {
    const s = await f.start('wamd-core-groups-')
    const group = s.createGroup(BOB, 'Hiking', [PHONE, CAROL])
    const harness = await f.link()

    const inbox = async () => (await harness.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 50 })).chats
    const chat = await eventually(async () => (await inbox()).find((c) => c.remoteId === group))
    expect(chat).toMatchObject({ kind: 'group', title: 'Hiking' })
    const members = await harness.core.handlers.getChatMembers({ chatId: chat.id })
    expect(members.map((m) => m.remoteId).sort()).toEqual([PHONE, BOB, CAROL].map((n) => `${n}@s.whatsapp.net`).sort())

    const id = await s.contact(BOB).sendText(group, 'who is in?')
    const theirs = await eventually(async () =>
      (await harness.core.handlers.listMessages({ chatId: chat.id, limit: 50 })).messages.find((m) => m.remoteId === id)
    )
    expect(theirs).toMatchObject({ text: 'who is in?', senderId: `${BOB}@s.whatsapp.net`, fromMe: false, e2ee: true })

    await harness.core.handlers.sendMessage({ chatId: chat.id, clientId: 'hike-1', draft: { kind: 'text', text: 'me!' } })
    await eventually(() =>
      [BOB, CAROL].every((n) =>
        s
          .contact(n)
          .received()
          .some((m) => m.text === 'me!' && m.chat === group)
      )
    )

    s.changeGroup(group, BOB, { subject: 'Hiking on Sunday' })
    await eventually(async () => (await inbox()).find((c) => c.remoteId === group)?.title === 'Hiking on Sunday')
    // One chat for the group, none for its members' direct chats.
    expect((await inbox()).map((c) => c.remoteId)).toEqual([group])
  })
})
