import { describe, expect, it } from 'vitest'
import type { NetworkCapabilities } from '../../../../src/shared/api'
import type { ComposedDraft } from '../../../../src/shared/model'
import { base64Length, checkAttachment, mimeAccepted } from '../../../../src/main/core/attachments'

const caps = (extra: Partial<NetworkCapabilities> = {}): NetworkCapabilities => ({
  typing: false,
  deliveryReceipts: false,
  readReceipts: false,
  receiveImages: true,
  sendImages: true,
  stickers: false,
  emotes: false,
  edits: false,
  unsend: false,
  groups: false,
  sealing: false,
  presence: false,
  ...extra
})
const b64 = (n: number): string => Buffer.alloc(n, 7).toString('base64')
const file = (n: number, extra: Partial<Extract<ComposedDraft, { kind: 'file' }>> = {}): ComposedDraft => ({
  kind: 'file',
  name: 'a.pdf',
  mime: 'application/pdf',
  size: n,
  dataBase64: b64(n),
  ...extra
})
const refusal = (draft: ComposedDraft, c: NetworkCapabilities): unknown => {
  try {
    checkAttachment(draft, c)
    return null
  } catch (error) {
    return error
  }
}

describe('checkAttachment (Core, before the outbox)', () => {
  it('decodes base64 lengths exactly, padding included', () => {
    for (const n of [1, 2, 3, 4, 5, 100]) expect(base64Length(b64(n))).toBe(n)
  })

  it('lets text through and files only where the network sends them', () => {
    expect(refusal({ kind: 'text', text: 'hi' }, caps({ sendImages: false }))).toBeNull()
    expect(refusal(file(10), caps())).toMatchObject({ code: 'unsupported', reason: { code: 'refused', params: { what: 'attachment-kind', kind: 'file' } } })
    expect(refusal({ kind: 'image', mime: 'image/png', dataBase64: b64(4) }, caps({ sendImages: false }))).toMatchObject({
      code: 'unsupported',
      reason: { params: { what: 'attachment-kind', kind: 'image' } }
    })
    expect(refusal(file(10), caps({ sendFiles: true }))).toBeNull()
  })

  it('refuses a size past maxUploadBytes with the limit as a parameter, and takes one at the limit', () => {
    const c = caps({ sendFiles: true, maxUploadBytes: 100 })
    expect(refusal(file(100), c)).toBeNull()
    expect(refusal(file(101), c)).toMatchObject({ code: 'invalid-argument', reason: { code: 'refused', params: { what: 'attachment-size', limit: '100' } } })
    expect(refusal({ kind: 'image', mime: 'image/png', dataBase64: b64(101) }, c)).toMatchObject({ reason: { params: { what: 'attachment-size' } } })
  })

  it('refuses types outside acceptedTypes, with type/* wildcards', () => {
    const c = caps({ sendFiles: true, acceptedTypes: ['application/pdf', 'image/*'] })
    expect(refusal(file(3), c)).toBeNull()
    expect(refusal(file(3, { mime: 'image/heic' }), c)).toBeNull()
    expect(refusal(file(3, { mime: 'application/zip' }), c)).toMatchObject({ reason: { params: { what: 'attachment-type', type: 'application/zip' } } })
    expect(mimeAccepted('Application/PDF; charset=x', ['application/pdf'])).toBe(true)
    expect(mimeAccepted('anything/at-all', undefined)).toBe(true)
  })

  it('refuses a file whose declared size disagrees with its bytes', () => {
    expect(refusal(file(10, { size: 11 }), caps({ sendFiles: true }))).toMatchObject({
      code: 'invalid-argument',
      reason: { params: { what: 'attachment-damaged' } }
    })
  })
})
