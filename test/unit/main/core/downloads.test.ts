import { readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { attachmentDisposition, safeFileName, writeDownload } from '../../../../src/main/core/downloads'
import { tempDir } from '../../../helpers/core-harness'

let dir: ReturnType<typeof tempDir> | null = null
afterEach(() => {
  dir?.remove()
  dir = null
})

describe('safeFileName', () => {
  it('keeps ordinary names, Unicode included', () => {
    expect(safeFileName('Q3 report.pdf', 'application/pdf')).toBe('Q3 report.pdf')
    expect(safeFileName('議事録.txt', 'text/plain')).toBe('議事録.txt')
  })

  it('removes separators, control and reserved characters, dot prefixes and device names', () => {
    expect(safeFileName('../../etc/passwd', 'text/plain')).toBe('_.._etc_passwd')
    expect(safeFileName('a\u0000b\nc:d*e?.txt', 'text/plain')).toBe('a_b_c_d_e_.txt')
    expect(safeFileName('...', 'application/pdf')).toBe('attachment.pdf')
    expect(safeFileName('CON.txt', 'text/plain')).toBe('_CON.txt')
    expect(safeFileName(undefined, 'image/png', 'junction-5')).toBe('junction-5.png')
  })

  it('bounds the length and keeps the extension', () => {
    const name = safeFileName(`${'x'.repeat(500)}.pdf`, 'application/pdf')
    expect(name.length).toBe(120)
    expect(name.endsWith('.pdf')).toBe(true)
  })
})

describe('writeDownload', () => {
  it('never overwrites: a second file of the same name gets a number before its extension', async () => {
    dir = tempDir()
    const first = await writeDownload(dir.path, 'a.txt', Buffer.from('one'))
    const second = await writeDownload(dir.path, 'a.txt', Buffer.from('two'))
    expect(first).toBe(join(dir.path, 'a.txt'))
    expect(second).toBe(join(dir.path, 'a (2).txt'))
    expect(readFileSync(first, 'utf8')).toBe('one')
  })

  it('does not write through a link planted under the name', async () => {
    dir = tempDir()
    const target = join(dir.path, 'target')
    writeFileSync(target, 'keep')
    symlinkSync(target, join(dir.path, 'b.txt'))
    const written = await writeDownload(dir.path, 'b.txt', Buffer.from('new'))
    expect(written).toBe(join(dir.path, 'b (2).txt'))
    expect(readFileSync(target, 'utf8')).toBe('keep')
  })
})

describe('attachmentDisposition', () => {
  it('gives an ASCII fallback and the UTF-8 name, with quotes escaped away', () => {
    expect(attachmentDisposition(undefined)).toBe('attachment')
    expect(attachmentDisposition('議事録 "1".txt')).toBe(`attachment; filename="___ _1_.txt"; filename*=UTF-8''%E8%AD%B0%E4%BA%8B%E9%8C%B2%20%221%22.txt`)
  })
})
