// What the MSNP18 reference server writes (msnp18.md §1.2): lines whose arguments are
// encoded as Escargot encodes them — only `%`, space, CR and LF escaped, every other byte
// raw UTF-8 — and payload commands with their byte length. Reading goes through the
// shared MSNP codec (msnp/framing.ts), the one piece this server shares with the client.

import { randomBytes } from 'node:crypto'
import type { Socket } from 'node:net'
import { CommandReader, type MsnpCommand } from '../../../../src/main/networks/skype/msnp/framing'
import { ProtocolError } from '../../../../src/shared/errors'

/** §1.2: Escargot's encoding of an argument it sends. */
export function escargotArg(value: string): string {
  return value.replace(/%/g, '%25').replace(/ /g, '%20').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/** §1.2: what Escargot does to every token it reads (Python `unquote`). */
export function unquote(token: string): string {
  try {
    return decodeURIComponent(token.replace(/%(?![0-9A-Fa-f]{2})/g, '%25'))
  } catch {
    return token
  }
}

/** §1.2: the msnobj of CHG/NLN goes out fully encoded (Python `quote(…, safe='')`). */
export function quoteAll(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

export function lineBytes(...tokens: (string | number)[]): Buffer {
  return Buffer.from(`${tokens.join(' ')}\r\n`, 'utf8')
}

export function payloadBytes(tokens: (string | number)[], payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload
  return Buffer.concat([lineBytes(...tokens, body.length), body])
}

export interface Connection {
  socket: Socket
  send(bytes: Buffer): void
  close(): void
}

/** Feeds a socket through the codec; framing errors drop the connection as Escargot would. */
export function serve(socket: Socket, handle: (c: MsnpCommand) => void, onServerError: (e: unknown) => void, onClose: () => void): Connection {
  const reader = new CommandReader()
  socket.on('data', (chunk: Buffer) => {
    try {
      for (const c of reader.push(chunk)) {
        if (socket.destroyed) return
        handle(c)
      }
    } catch (error) {
      if (!(error instanceof ProtocolError)) onServerError(error)
      socket.destroy()
    }
  })
  socket.on('close', onClose)
  socket.on('error', () => {})
  return {
    socket,
    send: (bytes) => {
      if (!socket.destroyed) socket.write(bytes)
    },
    close: () => {
      socket.end()
      setTimeout(() => socket.destroy(), 50).unref()
    }
  }
}

/** The MIME headers and body of a switchboard payload, read by the server itself (§5.6). */
export function readMime(payload: Buffer): { headers: Map<string, string>; body: Buffer } {
  const end = payload.indexOf('\r\n\r\n')
  const head = end < 0 ? payload.toString('utf8') : payload.toString('utf8', 0, end)
  const headers = new Map<string, string>()
  for (const l of head.split('\r\n')) {
    const colon = l.indexOf(':')
    if (colon > 0) headers.set(l.slice(0, colon).trim().toLowerCase(), l.slice(colon + 1).trim())
  }
  return { headers, body: end < 0 ? Buffer.alloc(0) : payload.subarray(end + 4) }
}

export function randomHex(n: number): string {
  return randomBytes(Math.ceil(n / 2))
    .toString('hex')
    .slice(0, n)
}
