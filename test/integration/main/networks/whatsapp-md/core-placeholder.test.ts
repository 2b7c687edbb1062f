// spec §7.4 placeholder resend, end to end through Core: a contact's message our companion cannot
// decrypt gets a retry receipt and, after the configured delay, a peer request to our own phone;
// the phone answers with the message (WebMessageInfo), which Core shows once with its text,
// sender and time, and the contact's later resend of the same id is not shown a second time; the
// same for a member's message in a group, by number or by LID.

import { afterEach, describe, expect, it } from 'vitest'
import type { Message } from '../../../../../src/shared/model'
import { encodeProto, type WAMessage } from '../../../../../src/main/networks/whatsapp/md/proto'
import { eventually } from '../../../../helpers/events'
import { sendFromPhone } from '../../../../servers/whatsapp-md/peer-data'
import { simSendDirect } from '../../../../servers/whatsapp-md/sim-send'
import { MdCoreFixture, PHONE } from './core-fixture'

const SELF = `${PHONE}@s.whatsapp.net`
const BOB = '15557654321'
const BOB_JID = `${BOB}@s.whatsapp.net`
const COMPANION = `${PHONE}:1@s.whatsapp.net`

const fixture = new MdCoreFixture()
afterEach(() => fixture.close())

describe('WhatsApp multi-device placeholder resend through Core', () => {
  it('shows an undecryptable message once, from our phone, and ignores the later resend', async () => {
    const server = await fixture.start('wamd-placeholder-')
    server.contact(BOB)
    const h = await fixture.link({ placeholderResendMs: 50 })
    const bob = server.contact(BOB)
    const messages = async (): Promise<Message[]> => {
      const chat = (await h.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 50 })).chats.find((c) => c.remoteId === BOB_JID)
      return chat ? (await h.core.handlers.listMessages({ chatId: chat.id, limit: 50 })).messages : []
    }
    // A session first, so the damaged copy is a `msg` whose MAC fails.
    await bob.sendText(SELF, 'before')
    await eventually(async () => (await messages()).some((m) => m.text === 'before'), 10_000)

    server.hub.heldRetries = []
    server.hub.corruptFor.add(COMPANION)
    const lost = await bob.sendText(SELF, 'the lost one')
    const sentAt = Number(server.hub.simSent.get(lost)!.attrs.t) * 1000
    // The retry receipt went out (held by the contact's phone) and the phone was asked.
    await eventually(() => server.hub.heldRetries!.length === 1, 10_000)
    await eventually(() => server.hub.placeholdersAnswered.includes(`${COMPANION}:${lost}`), 10_000)
    await eventually(async () => (await messages()).some((m) => m.remoteId === lost), 10_000)
    expect((await messages()).filter((m) => m.remoteId === lost)).toMatchObject([{ text: 'the lost one', senderId: BOB_JID, fromMe: false, timestamp: sentAt }])

    // The contact's resend now decrypts too: the same id, not a second copy.
    server.hub.releaseRetries()
    await eventually(() => server.hub.resent.includes(`${COMPANION}:${lost}:1`), 10_000)
    await bob.sendText(SELF, 'after')
    await eventually(async () => (await messages()).some((m) => m.text === 'after'), 10_000)
    expect((await messages()).filter((m) => m.text === 'the lost one')).toHaveLength(1)
    // The resend decrypted at once (one resend, no second retry): Core's dedupe by remote id kept one copy, counted unread once.
    expect(server.hub.resent.filter((r) => r.includes(`:${lost}:`))).toEqual([`${COMPANION}:${lost}:1`])
    const chat = (await h.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 50 })).chats.find((c) => c.remoteId === BOB_JID)
    expect(chat?.unread).toBe(3)
    expect(server.hub.duplicates).toBe(0)
  }, 40_000)

  for (const lid of [false, true])
    it(`in a ${lid ? 'LID-addressed' : 'phone-number'} group: an unreadable member's message comes from our phone, under its author`, async () => {
      const server = await fixture.start(`wamd-placeholder-group-${lid ? 'lid' : 'pn'}-`)
      server.contact(BOB)
      const h = await fixture.link({ placeholderResendMs: 50 })
      const group = server.createGroup(BOB, 'Lost and found', [PHONE], { lid })
      const messages = async (): Promise<Message[]> => {
        const chat = (await h.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 50 })).chats.find((c) => c.remoteId === group)
        return chat ? (await h.core.handlers.listMessages({ chatId: chat.id, limit: 50 })).messages : []
      }
      await server.contact(BOB).sendText(group, 'before')
      await eventually(async () => (await messages()).some((m) => m.text === 'before'), 10_000)
      server.hub.heldRetries = []
      server.hub.corruptFor.add(COMPANION)
      const lost = await server.contact(BOB).sendText(group, 'the lost one')
      await eventually(() => server.hub.placeholdersAnswered.includes(`${COMPANION}:${lost}`), 10_000)
      await eventually(async () => (await messages()).some((m) => m.remoteId === lost), 10_000)
      expect((await messages()).filter((m) => m.remoteId === lost)).toMatchObject([{ text: 'the lost one', senderId: BOB_JID, fromMe: false }])
      server.hub.releaseRetries()
      await eventually(() => server.hub.resent.includes(`${COMPANION}:${lost}:1`), 10_000)
      await server.contact(BOB).sendText(group, 'after')
      await eventually(async () => (await messages()).some((m) => m.text === 'after'), 10_000)
      expect((await messages()).map((m) => m.text)).toEqual(['before', 'the lost one', 'after'])
    }, 40_000)

  it('ignores answers from a contact and for keys never asked, and survives garbage bytes', async () => {
    const server = await fixture.start('wamd-placeholder-forged-')
    server.contact(BOB)
    const h = await fixture.link({ placeholderResendMs: 50 })
    const messages = async (): Promise<Message[]> => {
      const chat = (await h.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 50 })).chats.find((c) => c.remoteId === BOB_JID)
      return chat ? (await h.core.handlers.listMessages({ chatId: chat.id, limit: 50 })).messages : []
    }
    const answer = (stanzaId: string, infos: Uint8Array[]): WAMessage =>
      ({
        protocolMessage: {
          type: 17,
          peerDataOperationRequestResponseMessage: {
            peerDataOperationRequestType: 4,
            stanzaId,
            peerDataOperationResult: infos.map((webMessageInfoBytes) => ({ placeholderMessageResendResponse: { webMessageInfoBytes } }))
          }
        }
      }) as WAMessage
    const forged = (id: string): Uint8Array =>
      encodeProto('WebMessageInfo', { key: { remoteJid: BOB_JID, fromMe: false, id }, message: { conversation: 'forged' }, messageTimestamp: 1 })
    // A contact sends a "response" (it is not our device), and our phone one for a key never asked.
    await simSendDirect(server.hub, BOB, SELF, answer('X', [forged('3EB0FORGED1')]))
    await sendFromPhone(server.hub, COMPANION, answer('X', [forged('3EB0FORGED2')]))
    await sendFromPhone(server.hub, COMPANION, answer('X', [Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f, 0x0a, 0x80)]))
    await server.contact(BOB).sendText(SELF, 'still here')
    await eventually(async () => (await messages()).some((m) => m.text === 'still here'), 10_000)
    expect((await messages()).map((m) => m.text)).toEqual(['still here'])
    expect((await h.core.handlers.listAccounts())[0]?.status.state).toBe('online')
  }, 40_000)
})
