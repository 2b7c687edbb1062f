// WhatsApp multi-device app state inside Core (spec §9): what the phone pins, mutes and
// archives shows on the chat row (overriding the stored value), and a row action in
// Junction reaches the phone as an app-state patch it verifies.

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
const SELF = `${PHONE}@s.whatsapp.net`
const BOB = '15557654321'
const BOB_JID = `${BOB}@s.whatsapp.net`
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

describe('WhatsApp multi-device app state in Core', () => {
  it('shows the phone’s pin, mute and archive on the chat row, and sends Junction’s back', async () => {
    dir = mkdtempSync(join(tmpdir(), 'wamd-core-appstate-'))
    const s = (server = await startWhatsAppMdServer({ stateDir: dir }))
    const harness = (h = await createHarness({ networks: () => [whatsappNetwork], core: { networkConfig: { whatsapp: { md: mdClientConfig(s, FAST) } } } }))
    const qr = waitFor(harness.core.events, 'login', (e) => e.step.kind === 'qr')
    const { loginId } = await harness.core.handlers.startLogin({ network: 'whatsapp', methodId: 'qr' })
    const done = waitFor(harness.core.events, 'login', (e) => e.loginId === loginId && (e.step.kind === 'done' || e.step.kind === 'failed'), 10_000)
    await s.scan(((await qr).step as Extract<LoginStep, { kind: 'qr' }>).payload, PHONE)
    expect((await done).step.kind).toBe('done')
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
