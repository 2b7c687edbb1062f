// `npm run icons`: draws Junction's logo and writes every icon the app and its packages
// need. The logo is a few geometric shapes (a rounded square, three strokes meeting in
// one, a dot), described once below; the same description is written out as
// resources/icon.svg (the source drawing) and rasterised here with 4×4 supersampling,
// so no SVG renderer is needed. Outputs (checked in, they are assets):
//   resources/icon.svg, resources/icon.png (512, window and notification icon)
//   resources/tray*.png (tray: colour for Windows/Linux, template images for macOS)
//   build/icon.png (1024), build/icons/NxN.png (Linux), build/icon.ico, build/icon.icns
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { PNG } from 'pngjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

/** The drawing, in a 1×1 box. Colours are [r, g, b]. */
export const LOGO = {
  background: { radius: 0.22, top: [0x4c, 0x6e, 0xf5], bottom: [0x36, 0x4f, 0xc7] },
  ink: [0xff, 0xff, 0xff],
  strokeWidth: 0.08,
  // Three chats (left) meet at one point and leave as one line (right).
  strokes: [
    [0.27, 0.28, 0.54, 0.5],
    [0.27, 0.5, 0.54, 0.5],
    [0.27, 0.72, 0.54, 0.5],
    [0.54, 0.5, 0.72, 0.5]
  ],
  dots: [
    [0.27, 0.28, 0.065],
    [0.27, 0.5, 0.065],
    [0.27, 0.72, 0.065],
    [0.75, 0.5, 0.095]
  ],
  badge: { x: 0.8, y: 0.2, r: 0.2, color: [0xe0, 0x31, 0x31] }
}

export function logoSvg(logo = LOGO) {
  const hex = (c) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`
  const n = (v) => +(v * 1024).toFixed(2)
  const strokes = logo.strokes.map(([x1, y1, x2, y2]) => `    <line x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}" />`).join('\n')
  const dots = logo.dots.map(([cx, cy, r]) => `  <circle cx="${n(cx)}" cy="${n(cy)}" r="${n(r)}" fill="${hex(logo.ink)}" />`).join('\n')
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Junction's logo. Generated with the PNG, ICO and ICNS icons by scripts/icons.mjs: edit the drawing there. -->
<svg xmlns="http://www.w3.org/2000/svg" width="1024" height="1024" viewBox="0 0 1024 1024">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="${hex(logo.background.top)}" />
      <stop offset="1" stop-color="${hex(logo.background.bottom)}" />
    </linearGradient>
  </defs>
  <rect width="1024" height="1024" rx="${n(logo.background.radius)}" fill="url(#bg)" />
  <g stroke="${hex(logo.ink)}" stroke-width="${n(logo.strokeWidth)}" stroke-linecap="round">
${strokes}
  </g>
${dots}
</svg>
`
}

function inRoundedSquare(x, y, r) {
  const dx = Math.max(r - x, 0, x - (1 - r))
  const dy = Math.max(r - y, 0, y - (1 - r))
  return x >= 0 && x <= 1 && y >= 0 && y <= 1 && dx * dx + dy * dy <= r * r
}

function inCapsule(x, y, [x1, y1, x2, y2], halfWidth) {
  const vx = x2 - x1
  const vy = y2 - y1
  const t = Math.max(0, Math.min(1, ((x - x1) * vx + (y - y1) * vy) / (vx * vx + vy * vy)))
  const px = x1 + t * vx - x
  const py = y1 + t * vy - y
  return px * px + py * py <= halfWidth * halfWidth
}

function inInk(x, y, logo) {
  if (logo.dots.some(([cx, cy, r]) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r)) return true
  return logo.strokes.some((s) => inCapsule(x, y, s, logo.strokeWidth / 2))
}

/**
 * Renders the logo at `size`×`size`. Variants: 'app' (colour, square background), 'glyph'
 * (the ink only, in `ink`: macOS template images are black with alpha), and `badge: true`
 * adds the unread dot.
 */
export function renderLogo(size, { variant = 'app', ink = LOGO.ink, badge = false, logo = LOGO } = {}) {
  const png = new PNG({ width: size, height: size })
  const SS = 4
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0
      let g = 0
      let b = 0
      let a = 0
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const x = (px + (sx + 0.5) / SS) / size
          const y = (py + (sy + 0.5) / SS) / size
          let c = null
          if (badge && (x - logo.badge.x) ** 2 + (y - logo.badge.y) ** 2 <= logo.badge.r ** 2) c = logo.badge.color
          else if (variant === 'glyph') c = inInk(x, y, logo) ? ink : null
          else if (inRoundedSquare(x, y, logo.background.radius)) {
            const { top, bottom } = logo.background
            c = inInk(x, y, logo) ? ink : top.map((t, i) => Math.round(t + (bottom[i] - t) * y))
          }
          if (c) {
            r += c[0]
            g += c[1]
            b += c[2]
            a += 1
          }
        }
      }
      const i = (py * size + px) * 4
      // Colour is averaged over the covered samples only (straight alpha), so edges do not darken.
      png.data[i] = a ? Math.round(r / a) : 0
      png.data[i + 1] = a ? Math.round(g / a) : 0
      png.data[i + 2] = a ? Math.round(b / a) : 0
      png.data[i + 3] = Math.round((a / (SS * SS)) * 255)
    }
  }
  return PNG.sync.write(png)
}

/** An ICO of PNG entries (Windows Vista and later read PNG-compressed icon images). */
export function icoFile(images) {
  const header = Buffer.alloc(6 + 16 * images.length)
  header.writeUInt16LE(0, 0)
  header.writeUInt16LE(1, 2)
  header.writeUInt16LE(images.length, 4)
  let offset = header.length
  images.forEach(({ size, png }, i) => {
    const e = 6 + 16 * i
    header.writeUInt8(size >= 256 ? 0 : size, e) // 0 means 256
    header.writeUInt8(size >= 256 ? 0 : size, e + 1)
    header.writeUInt16LE(1, e + 4) // colour planes
    header.writeUInt16LE(32, e + 6) // bits per pixel
    header.writeUInt32LE(png.length, e + 8)
    header.writeUInt32LE(offset, e + 12)
    offset += png.length
  })
  return Buffer.concat([header, ...images.map((i) => i.png)])
}

/** The ICNS types that hold PNG data, by pixel size (the @2x types share a size with the next). */
export const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512]
]

export function icnsFile(pngBySize) {
  const chunks = ICNS_TYPES.map(([type, size]) => {
    const png = pngBySize.get(size)
    const head = Buffer.alloc(8)
    head.write(type, 0, 'ascii')
    head.writeUInt32BE(8 + png.length, 4)
    return Buffer.concat([head, png])
  })
  const body = Buffer.concat(chunks)
  const head = Buffer.alloc(8)
  head.write('icns', 0, 'ascii')
  head.writeUInt32BE(8 + body.length, 4)
  return Buffer.concat([head, body])
}

export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024]
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]

function write(path, data) {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, data)
  process.stdout.write(`  ${path.slice(ROOT.length + 1)} (${data.length} bytes)\n`)
}

export function generateIcons(root = ROOT) {
  const sizes = new Set([...LINUX_SIZES, ...ICO_SIZES, ...ICNS_TYPES.map(([, s]) => s)])
  const app = new Map([...sizes].map((s) => [s, renderLogo(s)]))
  write(join(root, 'resources/icon.svg'), logoSvg())
  write(join(root, 'resources/icon.png'), app.get(512))
  for (const s of LINUX_SIZES) write(join(root, `build/icons/${s}x${s}.png`), app.get(s))
  write(join(root, 'build/icon.png'), app.get(1024))
  write(join(root, 'build/icon.ico'), icoFile(ICO_SIZES.map((size) => ({ size, png: app.get(size) }))))
  write(join(root, 'build/icon.icns'), icnsFile(app))
  // Tray: 16 px and its @2x for Windows/Linux; black template images for the macOS menu bar.
  for (const [suffix, size] of [
    ['', 16],
    ['@2x', 32]
  ]) {
    write(join(root, `resources/tray${suffix}.png`), renderLogo(size))
    write(join(root, `resources/tray-unread${suffix}.png`), renderLogo(size, { badge: true }))
    write(join(root, `resources/trayTemplate${suffix}.png`), renderLogo(size, { variant: 'glyph', ink: [0, 0, 0] }))
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) generateIcons()
