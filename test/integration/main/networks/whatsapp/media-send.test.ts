// Sending pictures and documents on the legacy protocol (spec §6.3 mediaConn, §7.3, §7.4)
// against the reference server: the upload is checked by the server's own code (token =
// SHA-256 of the body), the contact's phone decrypts the message with its own reading of
// §7.3, and what it gets must be the very bytes sent. Refusals by the media host come back
// as the typed `refused` reason; an expired upload token is fetched anew; progress is reported.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { JunctionError } from '../../../../../src/shared/errors'
import { decodeInfo } from '../../../../servers/whatsapp/proto'
import type { SimulatedPhone } from '../../../../servers/whatsapp/phone'
import type { WhatsAppServer } from '../../../../servers/whatsapp/server'
import { BOB, mediaBytes, pairConnector, probe, startWorld, synced, TEAM, type Probe } from './fixture'
import { fileDraft } from '../../../../helpers/files'

let server: WhatsAppServer
let phone: SimulatedPhone
let p: Probe

/** A small PNG (2×1, red and blue). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAAEElEQVR4nGP4z8DwH4QZGAAi9QL+yJxv8gAAAABJRU5ErkJggg==', 'base64')
/** A document large enough to come in several chunks (200 KB). */
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(200_000, 0x41), Buffer.from('\n%%EOF\n')])

/** The WebMessageInfo the client relayed for a message id, as the server's own schema reads it. */
function relayedContent(id: string): Record<string, unknown> {
  const conn = [...server.connections][0]!
  const node = conn.received.find((r) => r.tag === id && r.node[1]?.type === 'relay')!.node
  const child = (node[2] as [string, unknown, Uint8Array][])[0]!
  return decodeInfo(child[2]).message!
}

beforeEach(async () => {
  ;({ server, phone } = await startWorld())
  p = probe(server)
  await pairConnector(p, phone)
  await synced(p.connector)
})

afterEach(async () => {
  await p.connector.close()
  await server.close()
})

describe('WhatsApp legacy media send', () => {
  it('declares photos and files for a legacy account, with the upload limit', () => {
    expect(p.connector.capabilities()).toMatchObject({ sendImages: true, sendFiles: true, maxUploadBytes: 16 * 1024 * 1024 })
  })

  it('uploads a photo and relays an imageMessage the contact’s phone opens byte for byte', async () => {
    const progress: [number, number][] = []
    const sent = await p.connector.send(
      BOB,
      'photo-1',
      { kind: 'image', mime: 'image/png', dataBase64: PNG.toString('base64'), caption: 'the plan' },
      { onProgress: (s, t) => progress.push([s, t]) }
    )
    expect(sent.status).toBe('sent')
    const got = server.uploads.received.find((r) => r.id === sent.remoteId)!
    expect(got).toMatchObject({ chat: BOB, kind: 'image', mime: 'image/png', caption: 'the plan' })
    expect(got.problem).toBeUndefined()
    expect(got.file!.equals(PNG)).toBe(true)
    const image = relayedContent(sent.remoteId).imageMessage as Record<string, unknown>
    // spec §7.2: directPath is the path of the stored file; the URL is the host's answer.
    expect(image.directPath).toBe(new URL(image.url as string).pathname)
    expect(image.fileLength).toBe(PNG.length)
    expect((image.mediaKey as Uint8Array).length).toBe(32)
    expect(server.uploads.stats).toMatchObject({ mediaConns: 1, uploads: 1 })
    // Progress: from 0 to the whole encrypted blob (PKCS#7 padding + 10-byte MAC), never backwards.
    const total = Math.ceil((PNG.length + 1) / 16) * 16 + 10
    expect(progress[0]).toEqual([0, total])
    expect(progress.at(-1)).toEqual([total, total])
    for (let i = 1; i < progress.length; i++) expect(progress[i]![0]).toBeGreaterThanOrEqual(progress[i - 1]![0])
  })

  it('sends a photo with its size and the page’s JPEG preview (spec §7.2 ImageMessage 6, 7, 16), which the phone reads', async () => {
    // JPEG start-of-image, an APP0/JFIF marker and end-of-image: what a preview begins and ends with (its pixels do not matter here).
    const preview = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9])
    const sent = await p.connector.send(BOB, 'photo-preview', {
      kind: 'image',
      mime: 'image/png',
      dataBase64: PNG.toString('base64'),
      thumbnailBase64: preview.toString('base64'),
      width: 2,
      height: 1
    })
    const got = server.uploads.received.find((r) => r.id === sent.remoteId)!
    expect(got.problem).toBeUndefined()
    expect(got).toMatchObject({ width: 2, height: 1 })
    expect(got.jpegThumbnail!.equals(preview)).toBe(true)
  })

  it('sends no preview that is not a JPEG or too large to be one, and no half a size; the photo still goes', async () => {
    const png = PNG.toString('base64')
    const huge = Buffer.alloc(20 * 1024, 0xff)
    huge[1] = 0xd8
    const cases = [
      { thumbnailBase64: png, width: 2 },
      { thumbnailBase64: huge.toString('base64'), height: 1 },
      { width: 2.5, height: 1 }
    ]
    for (const [i, preview] of cases.entries()) {
      const sent = await p.connector.send(BOB, `photo-odd-${i}`, { kind: 'image', mime: 'image/png', dataBase64: png, ...preview })
      const got = server.uploads.received.find((r) => r.id === sent.remoteId)!
      expect(got.file!.equals(PNG)).toBe(true)
      expect(got.jpegThumbnail).toBeUndefined()
      expect(got.width).toBeUndefined()
      expect(got.height).toBeUndefined()
    }
  })

  it('sends a document with its name, in several chunks, in a group too; history reads it back as a file that downloads', async () => {
    const progress: number[] = []
    const sent = await p.connector.sendFile!(TEAM, 'doc-1', fileDraft('plan.pdf', PDF), { onProgress: (s) => progress.push(s) })
    const got = server.uploads.received.find((r) => r.id === sent.remoteId)!
    expect(got).toMatchObject({ chat: TEAM, kind: 'document', mime: 'application/pdf', name: 'plan.pdf' })
    expect(got.file!.equals(PDF)).toBe(true)
    expect(progress.length).toBeGreaterThan(3)
    const doc = relayedContent(sent.remoteId).documentMessage as Record<string, unknown>
    expect(doc).toMatchObject({ fileName: 'plan.pdf', title: 'plan.pdf', mimetype: 'application/pdf', fileLength: PDF.length })
    const history = await p.connector.history(TEAM, null, 5)
    const mine = history.find((m) => m.remoteId === sent.remoteId)!
    expect(mine).toMatchObject({ kind: 'file', fromMe: true, media: { mime: 'application/pdf', name: 'plan.pdf', size: PDF.length } })
    expect((await mediaBytes(await p.connector.fetchMedia(TEAM, sent.remoteId))).equals(PDF)).toBe(true)
  })

  it('shows a document a contact sends as a file with its name and size, downloaded and checked on demand', async () => {
    const notes = Buffer.from('Minutes of the meeting\n'.repeat(300))
    const sent = phone.sendDocumentAs(BOB, notes, { name: 'minutes.txt', mime: 'text/plain' })
    const incoming = await p.next('message', (e) => e.message.remoteId === sent.id)
    expect(incoming.message).toMatchObject({ kind: 'file', text: '', fromMe: false, media: { mime: 'text/plain', name: 'minutes.txt', size: notes.length } })
    expect((await mediaBytes(await p.connector.fetchMedia(BOB, sent.id))).equals(notes)).toBe(true)
  })

  it('a retry under the same client id uploads again but relays one message', async () => {
    const first = await p.connector.sendFile!(BOB, 'doc-again', fileDraft('a.txt', PDF.subarray(0, 1000), 'text/plain'))
    const second = await p.connector.sendFile!(BOB, 'doc-again', fileDraft('a.txt', PDF.subarray(0, 1000), 'text/plain'))
    expect(second.remoteId).toBe(first.remoteId)
    expect(phone.messages(BOB).filter((m) => m.id === first.remoteId)).toHaveLength(1)
    expect(server.stats.duplicateRelays).toBe(1)
  })

  it('gives the typed refusal when the media host refuses the size or the type, and relays nothing', async () => {
    const relays = server.stats.relays.length
    server.uploads.script.maxBytes = 1_000
    const size = await p.connector.sendFile!(BOB, 'big', fileDraft('plan.pdf', PDF)).catch((e: unknown) => e)
    expect(size).toBeInstanceOf(JunctionError)
    expect(size).toMatchObject({ code: 'invalid-argument', retryable: false, reason: { code: 'refused', params: { what: 'attachment-size' } } })
    server.uploads.script.maxBytes = null
    server.uploads.script.refusedTypes = ['document']
    const type = await p.connector.sendFile!(BOB, 'exe', fileDraft('tool.exe', PDF, 'application/x-msdownload')).catch((e: unknown) => e)
    expect(type).toMatchObject({ code: 'invalid-argument', reason: { code: 'refused', params: { what: 'attachment-type' } } })
    expect(server.stats.relays.length).toBe(relays)
  })

  it('fetches a fresh media connection when the host says the upload token expired', async () => {
    await p.connector.send(BOB, 'p1', { kind: 'image', mime: 'image/png', dataBase64: PNG.toString('base64') })
    server.uploads.expireTokens()
    const sent = await p.connector.send(BOB, 'p2', { kind: 'image', mime: 'image/png', dataBase64: PNG.toString('base64') })
    expect(server.uploads.stats.mediaConns).toBe(2)
    expect(server.uploads.received.find((r) => r.id === sent.remoteId)!.file!.equals(PNG)).toBe(true)
  })

  it('reports a media host that keeps failing as retryable, not as a refusal', async () => {
    server.uploads.script.nextStatuses = [503, 503]
    const error = await p.connector.send(BOB, 'p3', { kind: 'image', mime: 'image/png', dataBase64: PNG.toString('base64') }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'unavailable', retryable: true })
    expect(server.uploads.received).toHaveLength(0)
  })
})
