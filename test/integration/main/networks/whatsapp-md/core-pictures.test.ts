// Profile pictures on WhatsApp multi-device through Core (issue 12 §3; md/pictures.ts): a
// contact's, a group's and the account's own picture are asked with the `w:profile:picture` iq
// only when shown and downloaded from the picture host; none set and hidden by privacy are no
// picture (initials), not an error; a `picture` notification (spec §7.5) makes Core fetch the
// new one, and a removal takes it away; bytes that are not an image are refused.

import { afterEach, describe, expect, it } from 'vitest'
import { eventually } from '../../../../helpers/events'
import { MdCoreFixture, PHONE } from './core-fixture'

const BOB = '15557654321'
const CAROL = '15553330000'
const BOB_JID = `${BOB}@s.whatsapp.net`
const CAROL_JID = `${CAROL}@s.whatsapp.net`
const SELF = `${PHONE}@s.whatsapp.net`

/** A tiny JPEG's first and last bytes around a payload: what Core's image check looks at. */
const jpeg = (fill: number): Uint8Array => new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new Array<number>(40).fill(fill), 0xff, 0xd9])

const f = new MdCoreFixture()
afterEach(() => f.close())

describe('WhatsApp multi-device profile pictures in Core', () => {
  it('fetches contacts’, groups’ and our own pictures when asked, follows a change and a removal', async () => {
    const s = await f.start('wamd-core-pictures-')
    s.hub.world.account(BOB, 'Bob')
    s.hub.world.account(CAROL, 'Carol')
    const group = s.createGroup(BOB, 'Hiking', [PHONE, CAROL])
    s.seedHistory(PHONE, [
      { jid: BOB_JID, messages: [{ id: 'PIC-1', fromMe: false, text: 'hi', t: Math.floor(Date.now() / 1000) - 60 }] },
      { jid: CAROL_JID, messages: [{ id: 'PIC-2', fromMe: false, text: 'hello', t: Math.floor(Date.now() / 1000) - 120 }] }
    ])
    s.setPicture(BOB_JID, jpeg(1))
    s.setPicture(group, jpeg(2))
    s.setPicture(SELF, jpeg(3))
    s.setPicture(CAROL_JID, jpeg(4), { hidden: true })
    const h = await f.link()
    const accountId = (await h.core.handlers.listAccounts())[0]!.id
    const chatOf = async (remoteId: string) =>
      eventually(async () => (await h.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 50 })).chats.find((c) => c.remoteId === remoteId && c.avatar))
    const bob = await chatOf(BOB_JID)
    await chatOf(group)
    // Nothing is asked before a picture is shown.
    expect(s.hub.pictures.asked).toEqual([])

    expect(Buffer.from((await h.core.avatar(accountId, BOB_JID)).bytes)).toEqual(Buffer.from(jpeg(1)))
    expect(Buffer.from((await h.core.avatar(accountId, group)).bytes)).toEqual(Buffer.from(jpeg(2)))
    expect((await h.core.handlers.listAccounts())[0]!.avatar).toBeDefined()
    expect(Buffer.from((await h.core.avatar(accountId, SELF)).bytes)).toEqual(Buffer.from(jpeg(3)))
    // Hidden by Carol's privacy setting: no picture, a not-found Core keeps (asked once).
    await expect(h.core.avatar(accountId, CAROL_JID)).rejects.toMatchObject({ code: 'not-found' })
    await expect(h.core.avatar(accountId, CAROL_JID)).rejects.toMatchObject({ code: 'not-found' })
    expect(s.hub.pictures.asked.filter((t) => t === CAROL_JID)).toHaveLength(1)
    // Cached: asking again does not ask WhatsApp.
    const asked = s.hub.pictures.asked.length
    await h.core.avatar(accountId, BOB_JID)
    expect(s.hub.pictures.asked.length).toBe(asked)

    // Bob changes his picture: the notification gives the chat a new version, and Core fetches the new bytes.
    s.setPicture(BOB_JID, jpeg(9), { notify: [PHONE] })
    const changed = await eventually(async () => {
      const c = (await h.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 50 })).chats.find((x) => x.remoteId === BOB_JID)
      return c?.avatar && c.avatar !== bob.avatar ? c : undefined
    })
    expect(changed.avatar).not.toBe(bob.avatar)
    expect(Buffer.from((await h.core.avatar(accountId, BOB_JID)).bytes)).toEqual(Buffer.from(jpeg(9)))

    // Removed: the chat has no picture any more.
    s.setPicture(group, null, { notify: [PHONE] })
    await eventually(async () => {
      const c = (await h.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 50 })).chats.find((x) => x.remoteId === group)
      return c && !c.avatar ? c : undefined
    })
    await expect(h.core.avatar(accountId, group)).rejects.toMatchObject({ code: 'not-found' })
  })

  it('refuses a picture that is not an image, and shows none', async () => {
    const s = await f.start('wamd-core-pictures-bad-')
    s.hub.world.account(BOB, 'Bob')
    s.seedHistory(PHONE, [{ jid: BOB_JID, messages: [{ id: 'PIC-3', fromMe: false, text: 'hi', t: Math.floor(Date.now() / 1000) - 60 }] }])
    s.setPicture(BOB_JID, new Uint8Array(Buffer.from('<html>not a picture</html>')))
    const h = await f.link()
    const accountId = (await h.core.handlers.listAccounts())[0]!.id
    await eventually(async () =>
      (await h.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 50 })).chats.find((c) => c.remoteId === BOB_JID && c.avatar)
    )
    await expect(h.core.avatar(accountId, BOB_JID)).rejects.toMatchObject({ code: 'rejected' })
  })
})
