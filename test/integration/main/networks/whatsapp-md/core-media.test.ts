// WhatsApp multi-device media inside Core (spec §8): an incoming image and document show with
// their media info and open through Core's media cache (fetched and verified on demand), and
// a file sent from Junction reaches the contact's phone, which decrypts it.

import { afterEach, describe, expect, it } from 'vitest'
import type { Message } from '../../../../../src/shared/model'
import { eventually } from '../../../../helpers/events'
import { MdCoreFixture, PHONE } from './core-fixture'

const SELF = `${PHONE}@s.whatsapp.net`
const BOB = '15557654321'
const BOB_JID = `${BOB}@s.whatsapp.net`

const f = new MdCoreFixture()
afterEach(() => f.close())

describe('WhatsApp multi-device media in Core', () => {
  it('shows and opens incoming media, and sends a file the phone decrypts', async () => {
    const s = await f.start('wamd-core-media-')
    const harness = await f.link()

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
