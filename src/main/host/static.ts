// Serves the renderer build to the page on loopback, with the same CSP the Electron
// shell enforces, and nothing outside the build folder.

import { createReadStream, statSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'

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

export function contentSecurityPolicy(origin: string): string {
  const ws = origin.replace(/^http/, 'ws')
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ${ws}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'"
  ].join('; ')
}

export function securityHeaders(origin: string): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(origin),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-store'
  }
}

export function serveStatic(root: string, origin: string, req: IncomingMessage, res: ServerResponse): void {
  const pathname = decodeURIComponent(new URL(req.url ?? '/', origin).pathname)
  const relative = pathname === '/' ? 'index.html' : pathname.slice(1)
  const file = normalize(join(root, relative))
  if (!file.startsWith(root + sep) && file !== root) return notFound(res)
  let size: number
  try {
    const stat = statSync(file)
    if (!stat.isFile()) return notFound(res)
    size = stat.size
  } catch {
    return notFound(res)
  }
  res.writeHead(200, {
    ...securityHeaders(origin),
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': String(size)
  })
  if (req.method === 'HEAD') return void res.end()
  createReadStream(file).pipe(res)
}

export function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' })
  res.end('Not found')
}
