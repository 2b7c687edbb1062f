// Media over multi-device (spec §8) against the reference server: a contact's phone uploads
// and sends an image, a document, a video, a voice note and a sticker, Junction shows them and
// fetches + verifies the bytes on demand (a tampered blob is a typed integrity error); Junction
// sends an image and a document, and Bob's simulated phone downloads and decrypts them.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../../../../src/main/base/log'
import type { IncomingMessage, MediaBytes } from '../../../../../src/main/networks/connector'
import { WhatsAppConnector } from '../../../../../src/main/networks/whatsapp'
import { JunctionError } from '../../../../../src/shared/errors'
import { testContext } from '../../../../helpers/connector-probe'
import { startWhatsAppMdServer, type WhatsAppMdServerControls } from '../../../../servers/whatsapp-md'
import { mdClientConfig } from '../../../../servers/whatsapp-md/sandbox'
import { eventually, MemoryKeyStore, RecordingIO } from './harness'

const PHONE = '15551234567'
const SELF = `${PHONE}@s.whatsapp.net`
const BOB = '15557654321'
const BOB_JID = `${BOB}@s.whatsapp.net`

let dir: string
let server: WhatsAppMdServerControls
let connector: WhatsAppConnector
let keyStore: MemoryKeyStore

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wamd-media-'))
  server = await startWhatsAppMdServer({ stateDir: dir })
  server.hub.world.account(BOB, 'Bob')
  keyStore = new MemoryKeyStore()
  connector = new WhatsAppConnector(
    testContext(
      { md: mdClientConfig(server, { initialPreKeys: 30, reconnectBaseMs: 20, requestTimeoutMs: 5_000 }) },
      createLogger(() => {}, 'error'),
      { keyStore }
    )
  )
  const io = new RecordingIO()
  const login = connector.login({ methodId: 'qr', fields: {}, previous: null }, io)
  await server.scan(await io.qr(), PHONE)
  await login
})

afterEach(async () => {
  await connector.close()
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

const incoming = (id: string): IncomingMessage | undefined =>
  keyStore.events.flatMap((e) => (e.type === 'message' && e.message.remoteId === id ? [e.message] : []))[0]

const bytesOf = (m: MediaBytes | { chunks: AsyncIterable<Uint8Array> }): Uint8Array => {
  if (!('bytes' in m)) throw new Error('expected bytes')
  return m.bytes
}

describe('WhatsApp multi-device media', () => {
  it('shows an incoming image and fetches its verified bytes on demand', async () => {
    const file = new Uint8Array(Buffer.from('a picture of a lighthouse, 39 bytes...'))
    const id = await server.sendMedia(BOB, SELF, { kind: 'image', bytes: file, mime: 'image/png', caption: 'Look' })
    const m = await eventually('the image', () => incoming(id))
    expect(m).toMatchObject({ chatRemoteId: BOB_JID, kind: 'image', text: 'Look', media: { mime: 'image/png', size: file.length, width: 1, height: 1 } })
    const media = await connector.fetchMedia(BOB_JID, id)
    expect(media.mime).toBe('image/png')
    expect(Buffer.from(bytesOf(media))).toEqual(Buffer.from(file))
  })

  it('keeps the JPEG preview an image carries (§8.6) for the chat to show until the picture is fetched, and nothing else', async () => {
    // JPEG start-of-image and an APP0 marker: what a preview begins with (its pixels do not matter here).
    const preview = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9])
    const id = await server.sendMedia(BOB, SELF, { kind: 'image', bytes: new Uint8Array(30).fill(3), mime: 'image/jpeg', jpegThumbnail: preview })
    const m = await eventually('the image', () => incoming(id))
    expect(m.media?.thumbnail).toBe(Buffer.from(preview).toString('base64'))
    // Not a JPEG (a PNG signature), or far too large for a preview: not kept, the picture still arrives.
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    const odd = await server.sendMedia(BOB, SELF, { kind: 'image', bytes: new Uint8Array(30).fill(4), mime: 'image/jpeg', jpegThumbnail: png })
    const huge = new Uint8Array(64 * 1024).fill(0xff)
    huge[1] = 0xd8
    const big = await server.sendMedia(BOB, SELF, { kind: 'image', bytes: new Uint8Array(30).fill(5), mime: 'image/jpeg', jpegThumbnail: huge })
    for (const other of [odd, big]) {
      const got = await eventually('the image', () => incoming(other))
      expect(got.kind).toBe('image')
      expect(got.media?.thumbnail).toBeUndefined()
    }
  })

  it('shows documents with their name, video, voice notes and stickers with their kinds', async () => {
    const doc = new Uint8Array(Buffer.from('%PDF-1.4 minimal'))
    const docId = await server.sendMedia(BOB, SELF, { kind: 'document', bytes: doc, mime: 'application/pdf', fileName: 'report.pdf' })
    const videoId = await server.sendMedia(BOB, SELF, { kind: 'video', bytes: new Uint8Array(40), mime: 'video/mp4', caption: 'clip' })
    const audioId = await server.sendMedia(BOB, SELF, { kind: 'audio', bytes: new Uint8Array(17), mime: 'audio/ogg; codecs=opus' })
    const stickerId = await server.sendMedia(BOB, SELF, { kind: 'sticker', bytes: new Uint8Array(20), mime: 'image/webp' })
    const d = await eventually('the document', () => incoming(docId))
    expect(d).toMatchObject({ kind: 'file', media: { mime: 'application/pdf', size: doc.length, name: 'report.pdf' } })
    expect((await eventually('the video', () => incoming(videoId))).kind).toBe('file')
    expect(await eventually('the voice note', () => incoming(audioId))).toMatchObject({ kind: 'file', media: { mime: 'audio/ogg; codecs=opus', size: 17 } })
    expect(await eventually('the sticker', () => incoming(stickerId))).toMatchObject({ kind: 'sticker', media: { mime: 'image/webp' } })
    expect(Buffer.from(bytesOf(await connector.fetchMedia(BOB_JID, docId)))).toEqual(Buffer.from(doc))
    expect(bytesOf(await connector.fetchMedia(BOB_JID, audioId))).toHaveLength(17)
    expect(bytesOf(await connector.fetchMedia(BOB_JID, stickerId))).toHaveLength(20)
  })

  it('refuses a blob whose MAC does not match with a typed integrity error', async () => {
    const id = await server.sendMedia(BOB, SELF, { kind: 'image', bytes: new Uint8Array(33).fill(7), mime: 'image/jpeg', corrupt: true })
    await eventually('the image', () => incoming(id))
    const error = await connector.fetchMedia(BOB_JID, id).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(JunctionError)
    expect((error as JunctionError).code).toBe('integrity')
  })

  it('has the phone upload an expired file again, then fetches it (spec §8.5)', async () => {
    const file = new Uint8Array(Buffer.from('an old picture, long gone from the server'))
    const id = await server.sendMedia(BOB, SELF, { kind: 'image', bytes: file, mime: 'image/jpeg' })
    await eventually('the image', () => incoming(id))
    server.expireMedia(id)
    expect(Buffer.from(bytesOf(await connector.fetchMedia(BOB_JID, id)))).toEqual(Buffer.from(file))
    expect(server.hub.media.retried).toEqual([id])
    // The new path was kept: the next fetch needs no second request.
    expect(Buffer.from(bytesOf(await connector.fetchMedia(BOB_JID, id)))).toEqual(Buffer.from(file))
    expect(server.hub.media.retried).toEqual([id])
  })

  it('reports not-found when the phone no longer has an expired file', async () => {
    const id = await server.sendMedia(BOB, SELF, { kind: 'document', bytes: new Uint8Array(12), mime: 'text/plain', fileName: 'gone.txt' })
    await eventually('the document', () => incoming(id))
    server.expireMedia(id)
    server.hub.media.sent.delete(id)
    const error = await connector.fetchMedia(BOB_JID, id).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(JunctionError)
    expect((error as JunctionError).code).toBe('not-found')
  })

  it('answers a message it has no file for with not-found', async () => {
    const error = await connector.fetchMedia(BOB_JID, '3EB0NOSUCHMESSAGE').catch((e: unknown) => e)
    expect((error as JunctionError).code).toBe('not-found')
  })

  it('sends an image that the contact’s phone downloads and decrypts', async () => {
    const picture = new Uint8Array(Buffer.from('not really a jpeg but 32 bytes!!'))
    const delivered: string[] = []
    connector.on((e) => {
      if (e.type === 'receipt' && e.status === 'delivered') delivered.push(...e.messageRemoteIds)
    })
    const progress: Array<[number, number]> = []
    const sent = await connector.send(
      BOB_JID,
      'client-img-1',
      { kind: 'image', mime: 'image/jpeg', dataBase64: Buffer.from(picture).toString('base64'), caption: 'for you' },
      { onProgress: (done, total) => progress.push([done, total]) }
    )
    expect(progress.at(-1)).toEqual([picture.length, picture.length])
    const got = await eventually('Bob’s phone opened it', () => server.hub.files.find((f) => f.id === sent.remoteId))
    expect(got.error).toBeUndefined()
    expect(got.file).toMatchObject({ kind: 'image', mime: 'image/jpeg', caption: 'for you' })
    expect(Buffer.from(got.file!.bytes)).toEqual(Buffer.from(picture))
    expect(server.hub.media.uploads).toContain('/mms/image')
    expect(server.hub.decoded.find((d) => d.id === sent.remoteId)?.attrs.type).toBe('media')
    // The sender's own copy opens too.
    expect(Buffer.from(bytesOf(await connector.fetchMedia(BOB_JID, sent.remoteId)))).toEqual(Buffer.from(picture))
    // Bob's phone shows it and says it was delivered, as it does for text (spec §7.3).
    expect(server.contact(BOB).received()).toContainEqual(expect.objectContaining({ id: sent.remoteId, text: '[photo] for you' }))
    await eventually('the delivery receipt', () => sent.status === 'delivered' || delivered.includes(sent.remoteId))
  })

  it('sends a document through sendFile, declared in the capabilities', async () => {
    expect(connector.capabilities()).not.toMatchObject({ sendFiles: false })
    const bytes = new Uint8Array(Buffer.from('name,score\nada,10\n'))
    const sent = await connector.sendFile(BOB_JID, 'client-doc-1', {
      kind: 'file',
      name: 'scores.csv',
      mime: 'text/csv',
      size: bytes.length,
      dataBase64: Buffer.from(bytes).toString('base64')
    })
    const got = await eventually('Bob’s phone opened it', () => server.hub.files.find((f) => f.id === sent.remoteId))
    expect(got.file).toMatchObject({ kind: 'document', mime: 'text/csv', fileName: 'scores.csv' })
    expect(Buffer.from(got.file!.bytes)).toEqual(Buffer.from(bytes))
    expect(server.hub.media.uploads).toContain('/mms/document')
    expect(server.contact(BOB).received()).toContainEqual(expect.objectContaining({ id: sent.remoteId, text: '[scores.csv]' }))
  })
})
