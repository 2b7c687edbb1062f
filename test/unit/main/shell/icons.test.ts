// The icons in build/ and resources/ are assets produced by scripts/icons.mjs; this checks
// they exist with the sizes and headers packaging needs, and that they are what the script
// draws today (so the checked-in files and the drawing cannot drift apart).
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { PNG } from 'pngjs'
import { describe, expect, it } from 'vitest'
// @ts-expect-error: a plain ESM script without types
import { ICNS_TYPES, ICO_SIZES, LINUX_SIZES, logoSvg, renderLogo } from '../../../../scripts/icons.mjs'

const ROOT = resolve(__dirname, '../../../..')
const png = (path: string): PNG => PNG.sync.read(readFileSync(join(ROOT, path)))

describe('icons', () => {
  it('has the source drawing, and it is the one the script writes', () => {
    const svg = readFileSync(join(ROOT, 'resources/icon.svg'), 'utf8')
    expect(svg).toBe(logoSvg())
    expect(svg).toMatch(/^<\?xml[^>]*>\s*<!--[^]*?-->\s*<svg [^>]*viewBox="0 0 1024 1024"/)
  })

  it('has a PNG per Linux size, square, with transparent corners and an opaque centre', () => {
    for (const size of LINUX_SIZES as number[]) {
      const image = png(`build/icons/${size}x${size}.png`)
      expect([image.width, image.height]).toEqual([size, size])
      expect(image.data[3]).toBe(0)
      const centre = (Math.floor(size / 2) * size + Math.floor(size / 2)) * 4
      expect(image.data[centre + 3]).toBe(255)
    }
    expect(png('build/icon.png').width).toBe(1024)
    expect(png('resources/icon.png').width).toBe(512)
  })

  it('the checked-in PNGs are what the script renders', () => {
    for (const size of [16, 32, 64]) expect(readFileSync(join(ROOT, `build/icons/${size}x${size}.png`)).equals(renderLogo(size))).toBe(true)
    expect(readFileSync(join(ROOT, 'resources/tray-unread.png')).equals(renderLogo(16, { badge: true }))).toBe(true)
  })

  it('has an ICO whose directory lists PNG images of every size', () => {
    const ico = readFileSync(join(ROOT, 'build/icon.ico'))
    expect(ico.readUInt16LE(0)).toBe(0)
    expect(ico.readUInt16LE(2)).toBe(1)
    const count = ico.readUInt16LE(4)
    expect(count).toBe((ICO_SIZES as number[]).length)
    const sizes: number[] = []
    for (let i = 0; i < count; i++) {
      const e = 6 + 16 * i
      const length = ico.readUInt32LE(e + 8)
      const offset = ico.readUInt32LE(e + 12)
      const image = PNG.sync.read(ico.subarray(offset, offset + length))
      const declared = ico.readUInt8(e) || 256
      expect(image.width).toBe(declared)
      sizes.push(declared)
    }
    expect(sizes).toEqual(ICO_SIZES)
  })

  it('has an ICNS with the PNG types macOS reads, each of its size', () => {
    const icns = readFileSync(join(ROOT, 'build/icon.icns'))
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns')
    expect(icns.readUInt32BE(4)).toBe(icns.length)
    const found = new Map<string, number>()
    for (let at = 8; at < icns.length;) {
      const type = icns.subarray(at, at + 4).toString('ascii')
      const length = icns.readUInt32BE(at + 4)
      found.set(type, PNG.sync.read(icns.subarray(at + 8, at + length)).width)
      at += length
    }
    expect([...found]).toEqual(ICNS_TYPES)
  })

  it('has the tray images: colour and badged for Windows/Linux, black templates for macOS, each with @2x', () => {
    for (const name of ['tray', 'tray-unread', 'trayTemplate']) {
      expect(png(`resources/${name}.png`).width).toBe(16)
      expect(png(`resources/${name}@2x.png`).width).toBe(32)
    }
    const template = png('resources/trayTemplate@2x.png')
    for (let i = 0; i < template.data.length; i += 4) {
      if (template.data[i + 3]! > 0) expect([template.data[i], template.data[i + 1], template.data[i + 2]]).toEqual([0, 0, 0])
    }
    // The badge is red where the plain icon is not.
    const badge = png('resources/tray-unread@2x.png')
    const at = (3 * 32 + 28) * 4
    expect(badge.data[at]! - badge.data[at + 2]!).toBeGreaterThan(100)
  })

  it('electron-builder.yml points at these files', () => {
    const yml = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')
    for (const path of ['build/icons', 'build/icon.icns', 'build/icon.ico']) {
      expect(yml).toContain(`icon: ${path}`)
      expect(existsSync(join(ROOT, path))).toBe(true)
    }
  })
})
