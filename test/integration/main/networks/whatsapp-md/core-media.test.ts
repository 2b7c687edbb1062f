// WhatsApp multi-device media inside Core (spec §8): an incoming image and document show with
// their media info and open through Core's media cache (fetched and verified on demand), and
// a file sent from Junction reaches the contact's phone, which decrypts it.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { LoginStep } from '../../../../../src/shared/api'
import type { Message } from '../../../../../src/shared/model'
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

describe('WhatsApp multi-device media in Core', () => {
  it('shows and opens incoming media, and sends a file the phone decrypts', async () => {
    dir = mkdtempSync(join(tmpdir(), 'wamd-core-media-'))
    const s = (server = await startWhatsAppMdServer({ stateDir: dir }))
    const harness = (h = await createHarness({ networks: () => [whatsappNetwork], core: { networkConfig: { whatsapp: { md: mdClientConfig(s, FAST) } } } }))
    const qr = waitFor(harness.core.events, 'login', (e) => e.step.kind === 'qr')
    const { loginId } = await harness.core.handlers.startLogin({ network: 'whatsapp', methodId: 'qr' })
    const done = waitFor(harness.core.events, 'login', (e) => e.loginId === loginId && (e.step.kind === 'done' || e.step.kind === 'failed'), 10_000)
    await s.scan(((await qr).step as Extract<LoginStep, { kind: 'qr' }>).payload, PHONE)
    expect((await done).step.kind).toBe('done')

    const picture = Buffer.from('a tiny picture from Bob')
    const report = Buffer.from('%PDF-1.4 Bob’s report')
    await s.sendMedia(BOB, SELF, { kind: 'image', bytes: picture, mime: 'image/png', caption: 'look' })
    await s.sendMedia(BOB, SELF, { kind: 'document', bytes: report, mime: 'application/pdf', fileName: 'report.pdf' })
    const chat = await eventually(async () =>
      (await harness.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 50 })).chats.find((c) => c.remoteId === BOB_JID)
    )
    const messages = async (): Promise<Message[]> => (await harness.core.handlers.listMessages({ chatId: chat.id, limit: 50 })).messages
    const image = await eventually(async () => (await messages()).find((m) => m.kind === 'image'))
    const file = await eventually(async () => (await messages()).find((m) => m.kind === 'file'))
    expect(image).toMatchObject({ text: 'look', e2ee: true, media: { mime: 'image/png', size: picture.length } })
    expect(file.media).toMatchObject({ mime: 'application/pdf', size: report.length, name: 'report.pdf' })
    expect(Buffer.from((await harness.core.media(image.id)).bytes).equals(picture)).toBe(true)
    expect(Buffer.from((await harness.core.media(file.id)).bytes).equals(report)).toBe(true)

    const notes = Buffer.from('meeting notes\n')
    await harness.core.handlers.sendMessage({
      chatId: chat.id,
      clientId: 'wamd-file-1',
      draft: { kind: 'file', name: 'notes.txt', mime: 'text/plain', size: notes.length, dataBase64: notes.toString('base64') }
    })
    const sent = await eventually(async () => (await messages()).find((m) => m.clientId === 'wamd-file-1' && (m.status === 'sent' || m.status === 'delivered')))
    const opened = await eventually(() => s.hub.files.find((f) => f.id === sent.remoteId))
    expect(opened.file).toMatchObject({ kind: 'document', fileName: 'notes.txt', mime: 'text/plain' })
    expect(Buffer.from(opened.file!.bytes).equals(notes)).toBe(true)
  })
})
