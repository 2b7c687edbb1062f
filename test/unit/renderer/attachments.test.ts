import { describe, expect, it } from 'vitest'
import type { NetworkCapabilities } from '../../../src/shared/api'
import { acceptAttribute, canAttach, draftFor, draftName, refusalFor } from '../../../src/renderer/src/attachments'
import { strings } from '../../../src/renderer/src/strings'
import { describeReason } from '../../../src/renderer/src/words'

const base: NetworkCapabilities = {
  typing: false,
  deliveryReceipts: false,
  readReceipts: false,
  receiveImages: true,
  sendImages: false,
  stickers: false,
  emotes: false,
  edits: false,
  unsend: false,
  groups: false,
  sealing: false,
  presence: false
}
const line = { ...base, sendImages: true, sendFiles: true, maxUploadBytes: 1000 }

describe('attachments in the renderer', () => {
  it('offers attaching only where the network sends photos or files', () => {
    expect(canAttach(base)).toBe(false)
    expect(canAttach(undefined)).toBe(false)
    expect(canAttach({ ...base, sendImages: true })).toBe(true)
    expect(acceptAttribute({ ...base, sendImages: true })).toBe('image/jpeg,image/png,image/gif,image/webp')
    expect(acceptAttribute(line)).toBeUndefined()
  })

  it('words a refusal in the network’s name before anything is sent', () => {
    const big = refusalFor({ name: 'a.pdf', type: 'application/pdf', size: 2000 }, line)!
    expect(describeReason(big, 'LINE')).toBe('LINE does not take attachments this large (at most 1000 B).')
    const noFiles = refusalFor({ name: 'a.pdf', type: 'application/pdf', size: 10 }, { ...base, sendImages: true })!
    expect(describeReason(noFiles, 'Skype')).toBe('Skype cannot send files from Junction.')
    const type = refusalFor({ name: 'a.zip', type: 'application/zip', size: 10 }, { ...line, acceptedTypes: ['application/pdf'] })!
    expect(describeReason(type, 'LINE')).toBe('LINE does not take files of this type (application/zip).')
    expect(refusalFor({ name: 'a.pdf', type: 'application/pdf', size: 10 }, line)).toBeNull()
    expect(strings.reasons.refused({ detail: 'x' }, 'LINE')).toBe('LINE refused this (x).')
  })

  it('makes a photo draft where photos go, else a file draft with a schema-safe name', async () => {
    const png = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'p.png', { type: 'image/png' })
    expect(await draftFor(png, line, 'look')).toEqual({ kind: 'image', mime: 'image/png', dataBase64: 'iVBORw==', caption: 'look', name: 'p.png' })
    const doc = new File(['hello'], 'dir/x.txt', { type: '' })
    expect(await draftFor(doc, line)).toEqual({ kind: 'file', name: 'dir_x.txt', mime: 'application/octet-stream', size: 5, dataBase64: 'aGVsbG8=' })
    expect(draftName('\u0001\u0002')).toBe('__')
  })
})
