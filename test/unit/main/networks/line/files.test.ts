// spec §10.3: LINE file messages (contentType 14) as Junction messages — name, size, a type from the name.

import { describe, expect, it } from 'vitest'
import { fileDisplayName, mimeOfName, toIncoming } from '../../../../../src/main/networks/line/messages'
import type { LetterSealing } from '../../../../../src/main/networks/line/sealing'

// A plain message never reaches Letter Sealing.
const sealing = {} as LetterSealing

describe('LINE incoming files', () => {
  it('maps contentType 14 to a file with its FILE_NAME and FILE_SIZE, bytes left for later', async () => {
    const { incoming } = await toIncoming(
      {
        id: '1',
        from: 'ubob',
        to: 'uself',
        toType: 0,
        contentType: 14,
        contentMetadata: { FILE_NAME: 'Plan.PDF', FILE_SIZE: '2048' },
        createdTime: '1700000000000'
      },
      { selfMid: 'uself', sealing }
    )
    expect(incoming).toMatchObject({ kind: 'file', text: '', media: { mime: 'application/pdf', name: 'Plan.PDF', size: 2048 } })
  })

  it('keeps a file without a usable size or name a file', async () => {
    const { incoming } = await toIncoming(
      { id: '2', from: 'ubob', to: 'uself', toType: 0, contentType: 14, contentMetadata: { FILE_SIZE: 'x' } },
      { selfMid: 'uself', sealing }
    )
    expect(incoming.kind).toBe('file')
    expect(incoming.media).toEqual({ mime: 'application/octet-stream', name: 'File' })
  })

  it('cleans names for display and guesses types only from known extensions', () => {
    expect(fileDisplayName('C:\\Users\\bob\\a.txt')).toBe('a.txt')
    expect(fileDisplayName('../..')).toBe('File')
    expect(fileDisplayName('a\u0000\u001fb.zip')).toBe('ab.zip')
    expect(fileDisplayName(undefined)).toBe('File')
    expect(mimeOfName('x.docx')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
    expect(mimeOfName('x.exe')).toBe('application/octet-stream')
    expect(mimeOfName('noext')).toBe('application/octet-stream')
  })
})
