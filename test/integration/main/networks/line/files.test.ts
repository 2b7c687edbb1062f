// Files on LINE through Core against the reference server (issue 12 §2, spec §10.1, §10.3):
// plain files sent first and uploaded after, sealed ones uploaded under `emf` first, incoming
// files with their name and size fetched on demand, and LINE's own refusal (47) worded.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { basename, dirname } from 'node:path'
import { lineNetwork } from '../../../../../src/main/networks/line/connector'
import { collect, createHarness, tempDir, type Harness } from '../../../../helpers/core-harness'
import { eventually } from '../../../../helpers/events'
import { openMediaBlob } from '../../../../servers/line/server-crypto'
import { lineFixture, type LineFixture } from './helpers'
import { addLineAccount, chatByRemote, messageIn } from './core-helpers'
import { fileDraft } from '../../../../helpers/files'

let f: LineFixture
let h: Harness
let downloads: ReturnType<typeof tempDir>
const opened: string[] = []

beforeEach(async () => {
  f = await lineFixture()
  // Each chat needs a message to show up in the bootstrap.
  await f.phone.sendAs(f.bob.mid, 'hello, sealed')
  await f.phone.sendAs(f.carol.mid, 'hello, plain')
  downloads = tempDir('junction-downloads-')
  opened.length = 0
  // As the Electron shell wires Core: a downloads folder and the system's "open" (recorded here).
  h = await createHarness({
    networks: () => [lineNetwork],
    core: {
      networkConfig: { line: f.server.config({}) },
      outbox: { sendTimeoutMs: 10_000 },
      downloadsDir: downloads.path,
      openFile: async (path) => void opened.push(path)
    }
  })
  await addLineAccount(h.core, f.phone)
})

afterEach(async () => {
  await h.close()
  await f.close()
  downloads.remove()
})

const report = Buffer.from('%PDF-1.4\nquarterly numbers\n%%EOF\n')

describe('LINE files', () => {
  it('sends a plain file: contentType 14 with FILE_NAME and FILE_SIZE, then the bytes to /r/talk/m/<id> as type "file"', async () => {
    const carol = await chatByRemote(h.core, f.carol.mid)
    const pending = await h.core.handlers.sendMessage({ chatId: carol.id, clientId: 'file-plain-1', draft: fileDraft('Q3 report.pdf', report) })
    expect(pending.kind).toBe('file')
    expect(pending.media).toEqual({ mime: 'application/pdf', size: report.length, name: 'Q3 report.pdf' })
    const sent = await messageIn(h.core, carol.id, (m) => m.clientId === 'file-plain-1' && m.status === 'sent')
    const stored = f.server.world.messages.find((m) => m.id === sent.remoteId)!
    expect(stored.contentType).toBe(14)
    expect(stored.contentMetadata).toMatchObject({ FILE_NAME: 'Q3 report.pdf', FILE_SIZE: String(report.length) })
    const uploaded = await eventually(() => f.server.world.objects.get(`m/${sent.remoteId}`))
    expect(uploaded.bytes.equals(report)).toBe(true)
    // The sent file opens from the media cache with its name.
    const media = await h.core.media(sent.id)
    expect(media.name).toBe('Q3 report.pdf')
    expect(Buffer.from(media.bytes).equals(report)).toBe(true)
  })

  it('keeps a plain file pending until its bytes are on OBS, though the echo of its message comes first', async () => {
    const carol = await chatByRemote(h.core, f.carol.mid)
    const big = Buffer.alloc(600_000, 0x44)
    // Each 'sent' this send is heard with, and whether the server had the bytes at that moment.
    const sentWithBytes: boolean[] = []
    const echoed: string[] = []
    h.core.events.on('message', (m) => {
      if (m.clientId !== 'file-pending-1') return
      if (m.remoteId) echoed.push(m.status)
      if (m.status === 'sent') sentWithBytes.push(f.server.world.objects.has(`m/${m.remoteId}`))
    })
    await h.core.handlers.sendMessage({ chatId: carol.id, clientId: 'file-pending-1', draft: fileDraft('big.bin', big, 'application/octet-stream') })
    await messageIn(h.core, carol.id, (m) => m.clientId === 'file-pending-1' && m.status === 'sent')
    expect(sentWithBytes.length).toBeGreaterThan(0)
    expect(sentWithBytes.every(Boolean)).toBe(true)
    // The echo was heard while pending (the point of the test), then the send's own result said sent.
    expect(echoed[0]).toBe('pending')
  })

  it('reports the OBS upload as uploadProgress events, plain and sealed, ending with every byte', async () => {
    const progress = collect(h.core, 'uploadProgress')
    const big = Buffer.alloc(400_000, 0x33)
    for (const [remote, clientId] of [
      [f.carol.mid, 'file-progress-plain'],
      [f.bob.mid, 'file-progress-sealed']
    ] as const) {
      const chat = await chatByRemote(h.core, remote)
      const pending = await h.core.handlers.sendMessage({ chatId: chat.id, clientId, draft: fileDraft('big.bin', big, 'application/octet-stream') })
      await messageIn(h.core, chat.id, (m) => m.clientId === clientId && m.status === 'sent')
      // The upload's last report (sent is heard once the bytes are there; the report may trail it by an event).
      const mine = await eventually(() => {
        const events = progress.filter((p) => p.messageId === pending.id)
        const last = events.at(-1)
        return last && last.sent === last.total ? events : undefined
      })
      expect(mine.length).toBeGreaterThanOrEqual(2)
      expect(mine[0]!.sent).toBe(0)
      // Plain uploads the file itself; sealed its encrypted blob, which is a little larger.
      expect(mine.at(-1)!.sent).toBe(mine.at(-1)!.total)
      expect(mine.at(-1)!.total).toBeGreaterThanOrEqual(big.length)
    }
  })

  it('forwards a file to another chat as a file with its name, checked against the target network', async () => {
    const carol = await chatByRemote(h.core, f.carol.mid)
    const bob = await chatByRemote(h.core, f.bob.mid)
    await h.core.handlers.sendMessage({ chatId: carol.id, clientId: 'file-fwd-src', draft: fileDraft('agenda.pdf', report) })
    const sent = await messageIn(h.core, carol.id, (m) => m.clientId === 'file-fwd-src' && m.status === 'sent')
    const forwarded = await h.core.handlers.forwardMessage({ messageId: sent.id, chatId: bob.id, clientId: 'file-fwd-dst' })
    expect(forwarded).toMatchObject({ kind: 'file', chatId: bob.id, media: { name: 'agenda.pdf', size: report.length } })
    const arrived = await messageIn(h.core, bob.id, (m) => m.clientId === 'file-fwd-dst' && m.status === 'sent')
    expect(f.server.world.messages.find((m) => m.id === arrived.remoteId)!.contentType).toBe(14)
  })

  it('seals a file for a Letter Sealing chat: encrypted blob under sid emf first, then the message naming it', async () => {
    const bob = await chatByRemote(h.core, f.bob.mid)
    await h.core.handlers.sendMessage({ chatId: bob.id, clientId: 'file-sealed-1', draft: fileDraft('notes.txt', Buffer.from('sealed notes'), 'text/plain') })
    const sent = await messageIn(h.core, bob.id, (m) => m.clientId === 'file-sealed-1' && m.status === 'sent')
    expect(sent.e2ee).toBe(true)
    const stored = f.server.world.messages.find((m) => m.id === sent.remoteId)!
    expect(stored.contentType).toBe(14)
    expect(stored.contentMetadata).toMatchObject({ e2eeVersion: '2', SID: 'emf' })
    const payload = f.phone.open(stored, f.bob.mid) as { keyMaterial: string; fileName: string }
    expect(payload.fileName).toBe('notes.txt')
    const blob = f.server.world.objects.get(`emf/${stored.contentMetadata.OID}`)!.bytes
    expect(openMediaBlob(Buffer.from(payload.keyMaterial, 'base64'), blob).toString()).toBe('sealed notes')
  })

  it('receives a file with its name and size and downloads it only when asked', async () => {
    const carol = await chatByRemote(h.core, f.carol.mid)
    const before = f.server.world.requests.filter((r) => r.path.startsWith('/r/talk/m/')).length
    const m = await f.phone.sendFileAs(f.carol.mid, 'minutes.pdf', report)
    const incoming = await messageIn(h.core, carol.id, (x) => x.remoteId === m.id)
    expect(incoming.kind).toBe('file')
    expect(incoming.media).toEqual({ mime: 'application/pdf', name: 'minutes.pdf', size: report.length })
    // The chat list previews it by name, not as an empty message.
    expect((await chatByRemote(h.core, f.carol.mid)).preview).toMatchObject({ kind: 'file', text: 'minutes.pdf', deleted: false })
    // Nothing was fetched on arrival.
    expect(f.server.world.requests.filter((r) => r.path.startsWith('/r/talk/m/')).length).toBe(before)
    const media = await h.core.media(incoming.id)
    expect(media.mime).toBe('application/pdf')
    expect(media.name).toBe('minutes.pdf')
    expect(Buffer.from(media.bytes).equals(report)).toBe(true)
  })

  it('offers a received file with a hostile name under a safe one', async () => {
    const carol = await chatByRemote(h.core, f.carol.mid)
    const m = await f.phone.sendFileAs(f.carol.mid, '../../.bashrc', Buffer.from('echo hi'))
    const incoming = await messageIn(h.core, carol.id, (x) => x.remoteId === m.id)
    expect(incoming.media?.name).toBe('.bashrc')
    const result = await h.core.handlers.openAttachment({ messageId: incoming.id })
    expect(result).toEqual({ fileName: 'bashrc', opened: true, downloadUrl: null })
    expect(opened).toHaveLength(1)
    expect(dirname(opened[0]!)).toBe(downloads.path)
    expect(basename(opened[0]!)).toBe('bashrc')
    expect(readFileSync(opened[0]!, 'utf8')).toBe('echo hi')
    // Opening again never overwrites the first copy.
    await h.core.handlers.openAttachment({ messageId: incoming.id })
    expect(basename(opened[1]!)).toBe('bashrc (2)')
  })

  it('marks a file LINE refuses as too large (47 EXCEED_FILE_MAX_SIZE) failed, with a reason the renderer words', async () => {
    f.server.world.maxFileBytes = 10
    const carol = await chatByRemote(h.core, f.carol.mid)
    await h.core.handlers.sendMessage({ chatId: carol.id, clientId: 'file-too-big', draft: fileDraft('big.pdf', report) })
    const failed = await messageIn(h.core, carol.id, (m) => m.clientId === 'file-too-big' && m.status === 'failed')
    expect(failed.error).toMatchObject({ code: 'invalid-argument', reason: { code: 'refused', params: { what: 'attachment-size' } } })
  })

  it('refuses a file whose declared size does not match its bytes before the outbox keeps it', async () => {
    const carol = await chatByRemote(h.core, f.carol.mid)
    const draft = { ...fileDraft('cut.pdf', report), size: report.length + 5 }
    await expect(h.core.handlers.sendMessage({ chatId: carol.id, clientId: 'file-cut-1', draft })).rejects.toMatchObject({
      code: 'invalid-argument',
      reason: { code: 'refused', params: { what: 'attachment-damaged' } }
    })
  })
})
