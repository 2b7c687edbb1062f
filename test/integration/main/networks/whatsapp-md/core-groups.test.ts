// WhatsApp multi-device groups inside Core (spec §11): a group the phone is in shows as a
// group chat with its title and members, a contact's message lands in it under its author,
// a send through Core reaches the members, and a subject change renames the chat.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { LoginStep } from '../../../../../src/shared/api'
import { whatsappNetwork } from '../../../../../src/main/networks/whatsapp'
import { createHarness, type Harness } from '../../../../helpers/core-harness'
import { eventually, waitFor } from '../../../../helpers/events'
import { startWhatsAppMdServer, type WhatsAppMdServerControls } from '../../../../servers/whatsapp-md'
import { mdClientConfig } from '../../../../servers/whatsapp-md/sandbox'

const PHONE = '15551234567'
const BOB = '15557654321'
const CAROL = '15553330000'
const FAST = { initialPreKeys: 30, reconnectBaseMs: 20, reconnectMaxMs: 200, requestTimeoutMs: 5_000 }

let h: Harness | undefined
let server: WhatsAppMdServerControls | undefined
let dir: string | undefined

afterEach(async () => {
  await h?.close()
  await server?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
  h = server = dir = undefined
})

describe('WhatsApp multi-device groups in Core', () => {
  it('shows the group with its members, its messages by author, sends to it and follows a rename', async () => {
    dir = mkdtempSync(join(tmpdir(), 'wamd-core-groups-'))
    const s = (server = await startWhatsAppMdServer({ stateDir: dir }))
    const group = s.createGroup(BOB, 'Hiking', [PHONE, CAROL])
    const harness = (h = await createHarness({ networks: () => [whatsappNetwork], core: { networkConfig: { whatsapp: { md: mdClientConfig(s, FAST) } } } }))
    const qr = waitFor(harness.core.events, 'login', (e) => e.step.kind === 'qr')
    const { loginId } = await harness.core.handlers.startLogin({ network: 'whatsapp', methodId: 'qr' })
    const done = waitFor(harness.core.events, 'login', (e) => e.loginId === loginId && e.step.kind === 'done', 10_000)
    await s.scan(((await qr).step as Extract<LoginStep, { kind: 'qr' }>).payload, PHONE)
    await done

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
