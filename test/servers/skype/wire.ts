// The reference server's own reading of MSNP framing and multi-MIME payloads (spec §3,
// §6), written apart from the client's codec so that each checks the other. It knows
// which dialect a connection speaks, which the client's parser does not need to.

import type { Socket } from 'node:net'

export interface WireCommand {
  name: string
  trid: number | null
  args: string[]
  payload: Buffer | null
}

export class WireError extends Error {}

export interface CommandHandlers {
  handle(command: WireCommand): void
  /** Anything but a framing error is the server's own bug; tests listen for it. */
  onServerError(error: unknown): void
  onClose(): void
}

/**
 * Feeds a socket through a reader, one command at a time; bad framing drops the connection, as a
 * real server would. `latencyMs` holds each read back that long (in order), as a real network's
 * round trip does, so a client's commands pile up in flight the way they do over the internet.
 */
export function serveCommands(socket: Socket, reader: WireReader, handlers: CommandHandlers, latencyMs = 0): void {
  const serve = (chunk: Buffer): void => {
    if (socket.destroyed) return
    try {
      for (const c of reader.push(chunk)) handlers.handle(c)
    } catch (error) {
      if (!(error instanceof WireError)) handlers.onServerError(error)
      socket.destroy()
    }
  }
  socket.on('data', (chunk: Buffer) => (latencyMs > 0 ? setTimeout(() => serve(chunk), latencyMs) : serve(chunk)))
  socket.on('close', () => handlers.onClose())
  socket.on('error', () => {})
}

/** spec §3.1: MSNP21 client commands that carry a payload. */
const PAYLOAD_21 = new Set(['ADL', 'RML', 'FQY', 'UUX', 'UUN', 'UUM', 'PUT', 'DEL', 'SDG', 'QRY'])
const MAX_LINE = 64 * 1024
const MAX_PAYLOAD = 2 * 1024 * 1024

export class WireReader {
  private buf: Buffer = Buffer.alloc(0)

  constructor(private readonly dialect: 'msnp24' | 'msnp21') {}

  push(chunk: Buffer): WireCommand[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk])
    const out: WireCommand[] = []
    for (;;) {
      const eol = this.buf.indexOf('\r\n')
      if (eol < 0) {
        if (this.buf.length > MAX_LINE) throw new WireError('line too long')
        return out
      }
      const tokens = this.buf.toString('latin1', 0, eol).split(' ')
      const name = tokens[0] ?? ''
      if (!/^[A-Z]{3}$/.test(name)) throw new WireError(`bad command ${name.slice(0, 10)}`)
      const hasPayload = this.dialect === 'msnp24' ? tokens.length >= 4 : PAYLOAD_21.has(name) && tokens.length >= 3
      let length = 0
      if (hasPayload) {
        length = Number(tokens[tokens.length - 1])
        if (!Number.isInteger(length) || length < 0 || length > MAX_PAYLOAD) throw new WireError('bad length')
        if (this.buf.length < eol + 2 + length) return out
      }
      const rest = hasPayload ? tokens.slice(1, -1) : tokens.slice(1)
      const trid = rest.length > 0 && /^\d+$/.test(rest[0]!) ? Number(rest.shift()) : null
      out.push({ name, trid, args: rest, payload: hasPayload ? Buffer.from(this.buf.subarray(eol + 2, eol + 2 + length)) : null })
      this.buf = this.buf.subarray(eol + 2 + length)
    }
  }
}

export function line(...tokens: (string | number)[]): Buffer {
  return Buffer.from(`${tokens.join(' ')}\r\n`, 'latin1')
}

export function withPayload(tokens: (string | number)[], payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload
  return Buffer.concat([line(...tokens, body.length), body])
}

export type Block = [string, string][]

export function block(headers: Block): string {
  return headers.map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n'
}

/** Header blocks followed by a body (Content-Length is the caller's to set). */
export function blocks(list: Block[], body: Buffer | string = ''): Buffer {
  return Buffer.concat([Buffer.from(list.map(block).join(''), 'utf8'), typeof body === 'string' ? Buffer.from(body, 'utf8') : body])
}

export interface Parsed {
  blocks: Map<string, string>[]
  body: Buffer
}

/** Splits `count` header blocks off a payload; the body is the rest, cut to Content-Length of the last block. */
export function parseBlocks(payload: Buffer, count: number): Parsed {
  const out: Map<string, string>[] = []
  let pos = 0
  for (let i = 0; i < count; i++) {
    const map = new Map<string, string>()
    for (;;) {
      const eol = payload.indexOf('\r\n', pos)
      if (eol < 0) throw new WireError('unterminated header block')
      const text = payload.toString('utf8', pos, eol)
      pos = eol + 2
      if (text === '') break
      const colon = text.indexOf(':')
      if (colon <= 0) throw new WireError('bad header line')
      map.set(text.slice(0, colon).trim().toLowerCase(), text.slice(colon + 1).trim())
    }
    out.push(map)
  }
  let body = payload.subarray(pos)
  const declared = out[out.length - 1]?.get('content-length')
  if (declared !== undefined) {
    const n = Number(declared)
    if (!Number.isInteger(n) || n < 0 || n > body.length) throw new WireError('bad Content-Length')
    body = body.subarray(0, n)
  }
  return { blocks: out, body: Buffer.from(body) }
}

export function bare(address: string): string {
  return address.split(';')[0]!.trim()
}

export function epidOf(address: string): string | undefined {
  const m = /;epid=\{?([0-9a-fA-F-]{36})\}?/.exec(address)
  return m ? m[1]!.toLowerCase() : undefined
}

export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** The text of the first `<tag>` in a small XML document (the server only reads its own fixed shapes). */
export function tagText(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`).exec(xml)
  if (!m) return undefined
  return m[1]!
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
}
