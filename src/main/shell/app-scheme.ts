// The renderer is served from `app://junction/…` (a privileged standard scheme) instead of
// file://, so the page has a real origin, file:// needs no extra privileges (the fuse
// `grantFileProtocolExtraPrivileges` is off) and nothing outside out/renderer can be read.
// This module decides every request; src/main/app-protocol.ts only hands it to Electron.

import { extname, join, resolve, sep } from 'node:path'
import { MEDIA_SCHEME } from './media-scheme'

export const APP_SCHEME = 'app'
export const APP_HOST = 'junction'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json'
}

/** The app window's policy: Electron speaks to the page over ipc, so nothing but its own origin. */
export function appContentSecurityPolicy(extraImageSources: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    ['img-src', "'self'", 'data:', ...extraImageSources].join(' '),
    "font-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'"
  ].join('; ')
}

export type AppResponse = { status: 200; file: string; headers: Record<string, string> } | { status: 400 | 404 | 405; headers: Record<string, string> }

/** Is `url` a page of our own renderer (for navigation and ipc sender checks)? */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url)
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST
  } catch {
    return false
  }
}

/**
 * Maps a request to a file under `root` or a refusal. Each path segment is decoded on its
 * own, guarded (`%ZZ` throws in decodeURIComponent), and a decoded segment that is `.`/`..`
 * or carries a separator or NUL is refused, so `%2e%2e`, `%2f` and `..%5c` cannot climb out;
 * the joined path is checked to stay under `root` as a second line.
 */
export function resolveAppRequest(root: string, url: string, method: string, isFile: (path: string) => boolean): AppResponse {
  const plain = { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }
  if (method !== 'GET' && method !== 'HEAD') return { status: 405, headers: plain }
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return { status: 400, headers: plain }
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return { status: 404, headers: plain }
  const raw = parsed.pathname === '/' || parsed.pathname === '' ? ['index.html'] : parsed.pathname.slice(1).split('/')
  const segments: string[] = []
  for (const part of raw) {
    let decoded: string
    try {
      decoded = decodeURIComponent(part)
    } catch {
      return { status: 400, headers: plain }
    }
    if (decoded === '' || decoded === '.' || decoded === '..' || /[/\\\0]/.test(decoded)) return { status: 404, headers: plain }
    segments.push(decoded)
  }
  const base = resolve(root)
  const file = join(base, ...segments)
  if (!file.startsWith(base + sep) || !isFile(file)) return { status: 404, headers: plain }
  return {
    status: 200,
    file,
    headers: {
      'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Security-Policy': appContentSecurityPolicy([MEDIA_SCHEME + ':']),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cache-Control': 'no-store'
    }
  }
}
