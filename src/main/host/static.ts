// Serves the renderer build to the page on loopback, with the same CSP the Electron
// shell enforces, and nothing outside the build folder.

import { close, createReadStream, fstat, open } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'

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
    "img-src 'self' data:",
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

/**
 * The file a request path names inside `root`, or why not: `bad-path` for a path that does
 * not decode (`/%ZZ`, `/%`, a truncated or overlong UTF-8 sequence like `/%c0%ae`) or holds a
 * NUL; `outside` for anything that resolves outside the build folder.
 */
export function resolveStaticPath(root: string, pathname: string): { file: string } | { problem: 'bad-path' | 'outside' } {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return { problem: 'bad-path' }
  }
  if (decoded.includes('\0')) return { problem: 'bad-path' }
  const base = resolve(root)
  const relative = decoded === '/' ? 'index.html' : decoded.slice(1)
  const file = normalize(join(base, relative))
  if (!file.startsWith(base + sep) && file !== base) return { problem: 'outside' }
  return { file }
}

export function serveStatic(root: string, origin: string, pathname: string, req: IncomingMessage, res: ServerResponse): void {
  const resolved = resolveStaticPath(root, pathname)
  if ('problem' in resolved) return resolved.problem === 'bad-path' ? badRequest(res) : notFound(res)
  const { file } = resolved
  sendFile(file, { ...securityHeaders(origin), 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }, req.method === 'HEAD', res)
}

/**
 * Opens the file and checks what was opened before any header goes out, so a path that is a
 * directory, vanished or cannot be read is a 404, never a 200 cut short or a stream 'error'
 * nobody hears (which would end the process).
 */
export function sendFile(file: string, headers: Record<string, string>, headOnly: boolean, res: ServerResponse): void {
  open(file, 'r', (openError, fd) => {
    if (openError) return notFound(res)
    fstat(fd, (statError, stat) => {
      if (statError || !stat.isFile() || res.destroyed) {
        close(fd, () => {})
        return res.destroyed ? undefined : notFound(res)
      }
      res.writeHead(200, { ...headers, 'Content-Length': String(stat.size) })
      if (headOnly) {
        close(fd, () => {})
        return void res.end()
      }
      const stream = createReadStream(file, { fd, start: 0, end: Math.max(0, stat.size - 1) })
      stream.once('error', () => res.destroy())
      res.once('close', () => stream.destroy())
      if (stat.size === 0) {
        stream.destroy()
        return void res.end()
      }
      stream.pipe(res)
    })
  })
}

export function badRequest(res: ServerResponse): void {
  res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' })
  res.end('Bad request')
}

export function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' })
  res.end('Not found')
}
