// Photos and documents on a legacy WhatsApp account through Core (issue 12 §2): the outbox
// hands them to the Connector, the upload's progress reaches the Api as `uploadProgress`
// events that end at the whole blob, the contact's phone opens the very bytes sent, and a
// media host that refuses the size leaves the message failed with the typed reason.

import { afterEach, describe, expect, it } from 'vitest'
import type { ApiEvents, LoginStep } from '../../../../../src/shared/api'
import { whatsappNetwork } from '../../../../../src/main/networks/whatsapp'
import { collect, createHarness, type Harness } from '../../../../helpers/core-harness'
import { eventually, waitFor } from '../../../../helpers/events'
import type { SimulatedPhone } from '../../../../servers/whatsapp/phone'
import type { WhatsAppServer } from '../../../../servers/whatsapp/server'
import { BOB, FAST, startWorld } from './fixture'

let h: Harness
let server: WhatsAppServer
let phone: SimulatedPhone

afterEach(async () => {
  await h?.close()
  await server?.close()
})

async function setUp(): Promise<string> {
  ;({ server, phone } = await startWorld())
  h = await createHarness({ networks: () => [whatsappNetwork], core: { networkConfig: { whatsapp: server.clientConfig(FAST) } } })
  const qr = waitFor(h.core.events, 'login', (e) => e.step.kind === 'qr')
  const { loginId } = await h.core.handlers.startLogin({ network: 'whatsapp', methodId: 'legacy-qr' })
  const done = waitFor(h.core.events, 'login', (e) => e.loginId === loginId && (e.step.kind === 'done' || e.step.kind === 'failed'))
  await phone.scan(((await qr).step as Extract<LoginStep, { kind: 'qr' }>).payload)
  if ((await done).step.kind !== 'done') throw new Error('login failed')
  return eventually(async () => (await h.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 50 })).chats.find((c) => c.remoteId === BOB)?.id)
}

const DOC = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(300_000, 0x42)])

describe('WhatsApp legacy attachments in Core', () => {
  it('sends a document with upload progress events, and the phone gets the same bytes', async () => {
    const chatId = await setUp()
    const progress: ApiEvents['uploadProgress'][] = collect(h.core, 'uploadProgress')
    const m = await h.core.handlers.sendMessage({
      chatId,
      clientId: 'client-doc-1',
      draft: { kind: 'file', name: 'report.pdf', mime: 'application/pdf', size: DOC.length, dataBase64: DOC.toString('base64') }
    })
    await eventually(async () => (await h.core.handlers.listMessages({ chatId, limit: 50 })).messages.find((x) => x.id === m.id)?.status === 'delivered')
    const got = server.uploads.received.find((r) => r.name === 'report.pdf')!
    expect(got.file!.equals(DOC)).toBe(true)
    expect(progress.length).toBeGreaterThanOrEqual(2)
    expect(progress.every((p) => p.messageId === m.id && p.chatId === chatId)).toBe(true)
    const last = progress.at(-1)!
    expect(last.sent).toBe(last.total)
    expect(last.total).toBeGreaterThan(DOC.length)
    expect(phone.messages(BOB).at(-1)!.content).toHaveProperty('documentMessage')
  })

  it('a media host refusing the size leaves the photo failed with the typed refused reason', async () => {
    const chatId = await setUp()
    server.uploads.script.maxBytes = 100
    const png = Buffer.alloc(2_000, 1)
    const m = await h.core.handlers.sendMessage({
      chatId,
      clientId: 'client-big-1',
      draft: { kind: 'image', mime: 'image/png', dataBase64: png.toString('base64') }
    })
    const failed = await eventually(async () => {
      const now = (await h.core.handlers.listMessages({ chatId, limit: 50 })).messages.find((x) => x.id === m.id)
      return now?.status === 'failed' ? now : undefined
    })
    expect(failed.error).toMatchObject({ code: 'invalid-argument', reason: { code: 'refused', params: { what: 'attachment-size' } } })
    expect(server.uploads.received).toHaveLength(0)
  })
})
