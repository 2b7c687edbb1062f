// History sync with media and downloaded chunks (spec §10.1, §8): a chunk's photo, document and
// sticker become media messages like live ones, with their reference stored in the same commit
// so `fetchMedia` opens them; a reply quoting a photo carries the quote; a chunk the phone
// uploaded (`directPath`, "WhatsApp History Keys") is downloaded, verified, inflated and
// ingested, and its progress completes the login's wait.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../../../../src/main/base/log'
import { WhatsAppConnector } from '../../../../../src/main/networks/whatsapp'
import { HISTORY_PENDING_NS } from '../../../../../src/main/networks/whatsapp/md/history-download'
import { testContext } from '../../../../helpers/connector-probe'
import { startWhatsAppMdServer, type WhatsAppMdServerControls } from '../../../../servers/whatsapp-md'
import { mdClientConfig } from '../../../../servers/whatsapp-md/sandbox'
import { MemoryKeyStore, RecordingIO } from './harness'

const PHONE = '15551234567'
const BOB = '15557654321'
const BOB_JID = `${BOB}@s.whatsapp.net`
const CAROL_JID = '15550001111@s.whatsapp.net'
const PHOTO = Buffer.from('a photo from the phone’s history')
const PDF = Buffer.from('%PDF-1.4 history document')

async function fetched(chat: string, id: string): Promise<Buffer> {
  const media = await connector!.fetchMedia(chat, id)
  if (!('bytes' in media)) throw new Error('expected the whole file')
  return Buffer.from(media.bytes)
}

let server: WhatsAppMdServerControls
let connector: WhatsAppConnector | undefined

beforeEach(async () => {
  server = await startWhatsAppMdServer()
})

afterEach(async () => {
  await connector?.close()
  connector = undefined
  await server.close()
})

async function link(keyStore: MemoryKeyStore): Promise<RecordingIO> {
  connector = new WhatsAppConnector(
    testContext(
      { md: mdClientConfig(server, { initialPreKeys: 30, requestTimeoutMs: 5_000 }) },
      createLogger(() => {}, 'error'),
      { keyStore }
    )
  )
  const io = new RecordingIO()
  const login = connector.login({ methodId: 'qr', fields: {}, previous: null }, io)
  await server.scan(await io.qr(), PHONE)
  await login
  return io
}

describe('WhatsApp multi-device history sync: media and downloaded chunks', () => {
  it('turns media in an inline chunk into media messages whose files can be fetched, with quotes of photos', async () => {
    server.hub.world.account(BOB, 'Bob')
    server.seedHistory(PHONE, [
      {
        jid: BOB_JID,
        messages: [
          { id: 'P1', fromMe: false, text: 'the view', t: 1_700_000_000, media: { kind: 'image', dataBase64: PHOTO.toString('base64'), mime: 'image/jpeg' } },
          { id: 'R1', fromMe: true, text: 'lovely!', t: 1_700_000_060, quote: { id: 'P1', author: BOB_JID, text: 'the view', image: true } },
          {
            id: 'D1',
            fromMe: true,
            text: '',
            t: 1_700_000_120,
            media: { kind: 'document', dataBase64: PDF.toString('base64'), mime: 'application/pdf', fileName: 'a.pdf' }
          },
          { id: 'S1', fromMe: false, text: '', t: 1_700_000_180, media: { kind: 'sticker', dataBase64: PHOTO.toString('base64'), mime: 'image/webp' } }
        ]
      }
    ])
    const keyStore = new MemoryKeyStore()
    await link(keyStore)
    const messages = new Map(keyStore.events.flatMap((e) => (e.type === 'message' ? [[e.message.remoteId, e.message] as const] : [])))
    expect(messages.get('P1')).toMatchObject({ kind: 'image', text: 'the view', media: { mime: 'image/jpeg', size: PHOTO.length } })
    expect(messages.get('D1')).toMatchObject({ kind: 'file', fromMe: true, media: { mime: 'application/pdf', name: 'a.pdf' } })
    expect(messages.get('S1')).toMatchObject({ kind: 'sticker', media: { mime: 'image/webp' } })
    expect(messages.get('R1')).toMatchObject({ kind: 'text', text: 'lovely!', replyTo: { remoteId: 'P1', senderId: BOB_JID, text: 'the view' } })
    // The reference committed with the chunk: the file opens like a live one's.
    expect(await fetched(BOB_JID, 'P1')).toEqual(PHOTO)
    expect(await fetched(BOB_JID, 'D1')).toEqual(PDF)
  })

  it('downloads, verifies and ingests a chunk sent by directPath, with progress', async () => {
    server.hub.world.account(BOB, 'Bob')
    server.seedHistory(PHONE, [
      { jid: BOB_JID, messages: [{ id: 'I1', fromMe: false, text: 'inline chunk', t: 1_700_000_000 }] },
      {
        jid: CAROL_JID,
        name: 'Carol',
        byDirectPath: true,
        messages: [
          { id: 'X1', fromMe: false, text: 'from a downloaded chunk', t: 1_700_000_100 },
          { id: 'X2', fromMe: false, text: 'a photo', t: 1_700_000_200, media: { kind: 'image', dataBase64: PHOTO.toString('base64'), mime: 'image/png' } }
        ]
      }
    ])
    const keyStore = new MemoryKeyStore()
    const io = await link(keyStore)
    expect(server.hub.media.historyBlobs).toHaveLength(1)
    const fractions = io.steps.flatMap((s) => (s.kind === 'progress' && s.stage === 'syncing' && s.fraction !== undefined ? [s.fraction] : []))
    expect(fractions).toEqual([0, 0.5, 1])
    expect(keyStore.events.flatMap((e) => (e.type === 'chat' ? [e.chat.remoteId] : []))).toEqual([BOB_JID, CAROL_JID])
    expect(keyStore.messages()).toEqual([
      { chat: BOB_JID, id: 'I1', text: 'inline chunk', fromMe: false },
      { chat: CAROL_JID, id: 'X1', text: 'from a downloaded chunk', fromMe: false },
      { chat: CAROL_JID, id: 'X2', text: 'a photo', fromMe: false }
    ])
    expect(keyStore.list(HISTORY_PENDING_NS)).toEqual([])
    expect(await fetched(CAROL_JID, 'X2')).toEqual(PHOTO)
  })
})
