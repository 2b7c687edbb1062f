// spec §7.4 receipt table: `read-self` (we read it on another device while read receipts are
// off; Baileys maps it to READ) and `read` from our own other device mark the chat read in Core;
// the same receipt types from someone else's device do not.

import { afterEach, describe, expect, it } from 'vitest'
import { eventually } from '../../../../helpers/events'
import { node, unixNow } from '../../../../servers/whatsapp-md/stanzas'
import { MdCoreFixture, PHONE } from './core-fixture'

const SELF = `${PHONE}@s.whatsapp.net`
const BOB = '15557654321'
const BOB_JID = `${BOB}@s.whatsapp.net`
const COMPANION = `${PHONE}:1@s.whatsapp.net`

const fixture = new MdCoreFixture()
afterEach(() => fixture.close())

describe('WhatsApp multi-device read receipts from our own devices', () => {
  for (const type of ['read-self', 'read'] as const) {
    it(`a ${type} receipt from our phone marks the chat read; from a contact it does not`, async () => {
      const server = await fixture.start(`wamd-${type}-`)
      server.contact(BOB)
      const h = await fixture.link()
      const bob = server.contact(BOB)
      const chat = async () => (await h.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 50 })).chats.find((c) => c.remoteId === BOB_JID)
      await bob.sendText(SELF, 'one')
      const id = await bob.sendText(SELF, 'two')
      await eventually(async () => (await chat())?.unread === 2, 10_000)

      // Someone else's device sending the same receipt type changes nothing on our side.
      server.hub.deliver(COMPANION, `receipt:${id}:bob`, node('receipt', { from: `${BOB}:0@s.whatsapp.net`, id, type, t: unixNow() }))
      // Our phone read it: the receipt comes from our own account, naming the chat as recipient.
      await bob.sendText(SELF, 'three')
      await eventually(async () => (await chat())?.unread === 3, 10_000)
      server.hub.deliver(COMPANION, `receipt:${id}:own`, node('receipt', { from: `${PHONE}@s.whatsapp.net`, recipient: BOB_JID, id, type, t: unixNow() }))
      await eventually(async () => (await chat())?.unread === 0, 10_000)
      expect((await chat())?.unread).toBe(0)
    }, 30_000)
  }
})
