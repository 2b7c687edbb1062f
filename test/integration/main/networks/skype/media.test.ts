// Skype (MSNP24) photos and files through Core against the reference server (issue 12 §2): the
// object goes to the AMS store first (create, then the content), then the URIObject message;
// incoming ones become image and file messages whose bytes come on demand, also after a
// restart; a retry never uploads or sends twice; a refused Skype token is renewed once; AMS's
// refusals (403, 413, 415) are the contract's `refused`; an object off the AMS base is never
// asked for.

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser } from 'playwright'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Message } from '../../../../../src/shared/model'
import { clientMessageIdFor } from '../../../../../src/main/networks/skype/crypto'
import { launchChromium } from '../../../../helpers/browser'
import { collect } from '../../../../helpers/core-harness'
import { eventually } from '../../../../helpers/events'
import { addAccountWithBrowser, chatIdOf, startSkypeHarness, type SkypeHarness } from './harness'
import { fileDraft } from '../../../../helpers/files'

const BOB = '8:bob.smith'
const MAX_OBJECT = 200_000

let browser: Browser
let s: SkypeHarness
let accountId: string
let bobChat: string

function png(width: number, height: number, seed: number): Buffer {
  const image = new PNG({ width, height })
  for (let i = 0; i < width * height; i++) image.data.set([seed & 0xff, (i * 7) & 0xff, (i * 13 + seed) & 0xff, 255], i * 4)
  return PNG.sync.write(image)
}

const imageDraft = (bytes: Buffer, mime = 'image/png') => ({ kind: 'image' as const, mime, dataBase64: bytes.toString('base64'), width: 24, height: 16 })

async function messageIn(predicate: (m: Message) => boolean, timeoutMs = 10_000): Promise<Message> {
  return eventually(async () => (await s.core.handlers.listMessages({ chatId: await chatIdOf(s.core, BOB), limit: 200 })).messages.find(predicate), timeoutMs)
}

const connector = () => s.core.accounts.onlineConnector(accountId)!
const amsCount = (method: string, path: RegExp) =>
  s.server.ams.requests.filter((r) => r.startsWith(`${method} `) && path.test(r.slice(method.length + 1))).length

beforeAll(async () => {
  browser = await launchChromium()
  s = await startSkypeHarness({ server: { seed: true, amsMaxObjectBytes: MAX_OBJECT } })
  accountId = await addAccountWithBrowser(s.core, browser)
  bobChat = await chatIdOf(s.core, BOB)
}, 60_000)

afterAll(async () => {
  await s?.close()
  await browser?.close()
})

describe('sending photos and files to a Skype contact', () => {
  it('uploads a photo to AMS, then sends a Picture.1 URIObject whose object holds the bytes', async () => {
    const photo = png(24, 16, 1)
    const progress = collect(s.core, 'uploadProgress')
    const pending = await s.core.handlers.sendMessage({ chatId: bobChat, clientId: 'media-photo-1', draft: imageDraft(photo) })
    expect(pending.kind).toBe('image')
    await messageIn((m) => m.clientId === 'media-photo-1' && m.status === 'sent')
    const got = await eventually(() =>
      s.server.ams.received(s.server.inbox('bob')).find((r) => r.message.clientMessageId === clientMessageIdFor('media-photo-1'))
    )
    expect(got.kind).toBe('image')
    expect(got.message.body).toContain('type="Picture.1"')
    // A pasted picture has no file name of its own.
    expect(got.name).toBe('image.png')
    expect(got.size).toBe(photo.length)
    expect(got.bytes?.equals(photo)).toBe(true)
    // The object was readable by Bob's conversation only.
    expect(s.server.ams.objects.get(got.objectId!)?.permissions).toEqual({ [BOB]: ['read'] })
    const mine = await eventually(() => progress.filter((p) => p.messageId === pending.id).at(-1))
    expect(mine).toMatchObject({ sent: photo.length, total: photo.length })
  })

  it('names a photo chosen from a file after that file, in the URIObject and on the AMS object', async () => {
    const photo = png(24, 16, 2)
    await s.core.handlers.sendMessage({ chatId: bobChat, clientId: 'media-photo-2', draft: { ...imageDraft(photo), name: 'Beach & sun.png' } })
    await messageIn((m) => m.clientId === 'media-photo-2' && m.status === 'sent')
    const got = await eventually(() =>
      s.server.ams.received(s.server.inbox('bob')).find((r) => r.message.clientMessageId === clientMessageIdFor('media-photo-2'))
    )
    expect(got).toMatchObject({ kind: 'image', name: 'Beach & sun.png', size: photo.length })
    expect(s.server.ams.objects.get(got.objectId!)).toMatchObject({ kind: 'image', filename: 'Beach & sun.png' })
  })

  it('uploads a file as sharing/file, then sends a File.1 URIObject with its name and size', async () => {
    const report = Buffer.from('%PDF-1.4\nquarterly numbers for Bob\n%%EOF\n')
    await s.core.handlers.sendMessage({ chatId: bobChat, clientId: 'media-file-1', draft: fileDraft('Q3 & Q4 report.pdf', report) })
    await messageIn((m) => m.clientId === 'media-file-1' && m.status === 'sent')
    const got = await eventually(() =>
      s.server.ams.received(s.server.inbox('bob')).find((r) => r.message.clientMessageId === clientMessageIdFor('media-file-1'))
    )
    expect(got).toMatchObject({ kind: 'file', name: 'Q3 & Q4 report.pdf', size: report.length })
    expect(got.message.messageType).toBe('RichText/Media_GenericFile')
    expect(got.bytes?.equals(report)).toBe(true)
    expect(s.server.ams.objects.get(got.objectId!)).toMatchObject({ kind: 'file', filename: 'Q3 & Q4 report.pdf' })
  })

  it('never uploads or sends twice for one client id, even when the first attempt failed after the upload', async () => {
    const bytes = Buffer.from('agenda for the retry')
    const creates = amsCount('POST', /^\/v1\/objects$/)
    const puts = amsCount('PUT', /\/content\/original$/)
    s.server.world.failNextSdg = 217
    await expect(connector().sendFile!(BOB, 'media-retry-1', fileDraft('agenda.txt', bytes, 'text/plain'))).rejects.toMatchObject({ code: 'rejected' })
    const first = await connector().sendFile!(BOB, 'media-retry-1', fileDraft('agenda.txt', bytes, 'text/plain'))
    const again = await connector().sendFile!(BOB, 'media-retry-1', fileDraft('agenda.txt', bytes, 'text/plain'))
    expect(again.remoteId).toBe(first.remoteId)
    // A later message proves the server has handled every copy.
    await connector().send(BOB, 'media-retry-after', { kind: 'text', text: 'after the retries' })
    await eventually(() => s.server.inbox('bob').find((m) => m.body === 'after the retries'))
    expect(amsCount('POST', /^\/v1\/objects$/)).toBe(creates + 1)
    expect(amsCount('PUT', /\/content\/original$/)).toBe(puts + 1)
    expect(s.server.inbox('bob').filter((m) => m.clientMessageId === clientMessageIdFor('media-retry-1'))).toHaveLength(1)
  })

  it('maps AMS refusals to `refused`: a thread the account is not in (403), too large (413), not a picture (415)', async () => {
    const thread = s.server.peer('bob').createThread('Bob and Carol only', ['carol'])
    await expect(connector().sendFile!(thread.id, 'media-403', fileDraft('secret.txt', Buffer.from('x'), 'text/plain'))).rejects.toMatchObject({
      code: 'rejected',
      reason: { code: 'refused' }
    })
    const big = Buffer.alloc(MAX_OBJECT + 1, 0x41)
    await expect(connector().sendFile!(BOB, 'media-413', fileDraft('big.bin', big, 'application/octet-stream'))).rejects.toMatchObject({
      code: 'invalid-argument',
      reason: { code: 'refused', params: { what: 'attachment-size' } }
    })
    await expect(connector().send(BOB, 'media-415', imageDraft(Buffer.from('not really a png')))).rejects.toMatchObject({
      code: 'invalid-argument',
      reason: { code: 'refused', params: { what: 'attachment-type' } }
    })
    // None of them reached the contact.
    const refusedIds = ['media-403', 'media-413', 'media-415'].map(clientMessageIdFor)
    expect(s.server.world.log.filter((m) => refusedIds.includes(m.clientMessageId ?? ''))).toEqual([])
  })
})

describe('photos and files from a Skype contact', () => {
  it('shows an incoming photo as an image with its size, and downloads its bytes on demand', async () => {
    const photo = png(32, 20, 7)
    const before = amsCount('GET', /\/views\//)
    s.server.ams.sharePhoto(s.server.peer('bob'), 'alice', 'beach.png', photo, { width: 32, height: 20 })
    const message = await messageIn((m) => m.kind === 'image' && !m.fromMe && m.media?.size === photo.length)
    expect(message.media).toMatchObject({ mime: 'image/png', width: 32, height: 20, size: photo.length })
    expect(message.text).toBe('')
    // Nothing was downloaded until asked for.
    expect(amsCount('GET', /\/views\//)).toBe(before)
    const media = await s.core.media(message.id)
    expect(media.mime).toBe('image/png')
    expect(Buffer.from(media.bytes).equals(photo)).toBe(true)
    expect(amsCount('GET', /\/views\/imgpsh_fullsize$/)).toBeGreaterThan(0)
  })

  it('shows an incoming file with its name and size and downloads it, renewing a refused Skype token once', async () => {
    const minutes = Buffer.from('minutes of the meeting\n'.repeat(50))
    s.server.ams.shareFile(s.server.peer('bob'), 'alice', 'minutes.txt', minutes)
    const message = await messageIn((m) => m.kind === 'file' && m.media?.name === 'minutes.txt')
    expect(message.media).toMatchObject({ mime: 'text/plain', size: minutes.length, name: 'minutes.txt' })
    // The token cached by the earlier downloads is no longer accepted: one 401, then a new token.
    s.server.avatars.revokeSkypeTokens()
    const unauthorised = s.server.ams.requests.length
    const media = await s.core.media(message.id)
    expect(media.name).toBe('minutes.txt')
    expect(Buffer.from(media.bytes).equals(minutes)).toBe(true)
    expect(s.server.ams.requests.slice(unauthorised).filter((r) => r.endsWith('/views/original'))).toHaveLength(2)
  })

  it('never asks a host other than the AMS base, and says the file cannot be downloaded', async () => {
    let hits = 0
    const elsewhere: Server = createServer((_req, res) => {
      hits++
      res.writeHead(200, { 'Content-Type': 'image/png' }).end(png(2, 2, 1))
    })
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve))
    try {
      const foreign = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/v1/objects/0-weu-d1-abc`
      s.server
        .peer('bob')
        .shareMedia(
          'alice',
          'RichText/UriObject',
          `<URIObject type="Picture.1" uri="${foreign}" url_thumbnail="${foreign}/views/imgt1"><OriginalName v="elsewhere.png"/><FileSize v="70"/></URIObject>`
        )
      const message = await messageIn((m) => m.media?.name === 'elsewhere.png')
      expect(message.kind).toBe('file')
      await expect(s.core.media(message.id)).rejects.toMatchObject({ code: 'not-found' })
      expect(hits).toBe(0)
    } finally {
      await new Promise<void>((resolve) => elsewhere.close(() => resolve()))
    }
  })

  it('still downloads a file that arrived before a restart', async () => {
    const notes = Buffer.from('notes from yesterday')
    s.server.ams.shareFile(s.server.peer('bob'), 'alice', 'yesterday.txt', notes)
    const message = await messageIn((m) => m.media?.name === 'yesterday.txt')
    await s.h.restart()
    await eventually(async () => (await s.core.handlers.listAccounts()).find((a) => a.id === accountId && a.status.state === 'online'), 15_000)
    const media = await s.core.media(message.id)
    expect(Buffer.from(media.bytes).equals(notes)).toBe(true)
  })
})
