// Switchboard MSG payloads (msnp18.md §5.6): one MIME header block, CRLF CRLF, then the
// body, relayed byte for byte between participants. Text, typing, nudges and the other
// datacasts are told apart by Content-Type; anything else is ignored by the receiver.
// Texts over ~1400 bytes travel as MSNPSharp's chunks (Message-ID / Chunks / Chunk).

import { ProtocolError } from '../../../../shared/errors'
import { readHeaderBlock, type Headers, type HeaderList } from '../msnp/mime'

/** §5.6: the historical payload limit; the server closes the switchboard above it. */
export const MAX_SB_PAYLOAD = 1664
/** §5.6: MSNPSharp chunks texts above this many bytes. */
export const CHUNK_TEXT_BYTES = 1400
/** A received payload larger than this is not MSNP18 (a lenient server may pass more than 1664). */
const MAX_PARSE_BYTES = 64 * 1024
const MAX_CHUNKS = 64

export const WLM_FONT = 'FN=Segoe%20UI; EF=; CO=0; CS=1; PF=0'

export interface TextFormat {
  font?: string
  effects?: string
  color?: string
  rightToLeft?: boolean
}

export type SbMessage =
  | { kind: 'text'; text: string; format: TextFormat; nickname?: string; chunk?: { id: string; count?: number; index: number } }
  | { kind: 'typing'; user: string }
  | { kind: 'nudge' }
  /** Wink (2), voice clip (3), action message (4) and unknown datacast ids. */
  | { kind: 'datacast'; id: number }
  | { kind: 'ignored'; contentType: string }

function mediaType(headers: Headers): string {
  return (headers.get('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase()
}

/** §5.6 X-MMS-IM-Format: `FN=…; EF=…; CO=…; CS=…; PF=…[; RL=1]`, fields optional, spaces after `;` allowed. */
export function readFormat(value: string | undefined): TextFormat {
  const out: TextFormat = {}
  if (!value) return out
  for (const part of value.split(';').slice(0, 16)) {
    const eq = part.indexOf('=')
    if (eq <= 0) continue
    const key = part.slice(0, eq).trim().toUpperCase()
    const v = part
      .slice(eq + 1)
      .trim()
      .slice(0, 64)
    if (key === 'FN' && v) out.font = safeDecode(v)
    else if (key === 'EF' && /^[BIUS]{0,4}$/i.test(v) && v) out.effects = v.toUpperCase()
    else if (key === 'CO' && /^[0-9a-f]{1,6}$/i.test(v)) out.color = v.toLowerCase()
    else if (key === 'RL' && v === '1') out.rightToLeft = true
  }
  return out
}

function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v)
  } catch {
    return v
  }
}

function chunkInfo(headers: Headers): { id: string; count?: number; index: number } | undefined {
  const id = headers.get('Message-ID')
  if (!id) return undefined
  if (!/^\{?[0-9A-Fa-f-]{1,40}\}?$/.test(id)) throw new ProtocolError('A switchboard message had an unreadable Message-ID.')
  const chunks = headers.get('Chunks')
  const chunk = headers.get('Chunk')
  const count = chunks === undefined ? undefined : Number(chunks)
  const index = chunk === undefined ? 0 : Number(chunk)
  if (count !== undefined && !(Number.isInteger(count) && count >= 1 && count <= MAX_CHUNKS))
    throw new ProtocolError('A switchboard message announced an unreadable chunk count.')
  if (!(Number.isInteger(index) && index >= 0 && index < MAX_CHUNKS)) throw new ProtocolError('A switchboard message had an unreadable chunk number.')
  return count === undefined ? { id: id.toLowerCase(), index } : { id: id.toLowerCase(), count, index }
}

/** Reads a switchboard MSG payload; throws ProtocolError on anything that is not one. */
export function parseSbMessage(payload: Uint8Array): SbMessage {
  if (payload.byteLength > MAX_PARSE_BYTES) throw new ProtocolError('A switchboard message was larger than allowed.')
  const { headers, next } = readHeaderBlock(payload, 0)
  if (headers.list.length === 0) throw new ProtocolError('A switchboard message had no headers.')
  const body = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).subarray(next)
  const type = mediaType(headers)
  const chunk = chunkInfo(headers)
  // §5.6: the chunks after the first repeat only Message-ID and Chunk; they continue a text.
  if (chunk && chunk.index > 0) return { kind: 'text', text: body.toString('utf8'), format: {}, chunk }
  switch (type) {
    case 'text/plain': {
      const m: SbMessage = { kind: 'text', text: body.toString('utf8'), format: readFormat(headers.get('X-MMS-IM-Format')) }
      const nick = headers.get('P4-Context')
      if (nick) m.nickname = nick.slice(0, 256)
      if (chunk) m.chunk = chunk
      return m
    }
    case 'text/x-msmsgscontrol': {
      const user = headers.get('TypingUser')
      if (!user) return { kind: 'ignored', contentType: type }
      return { kind: 'typing', user: user.trim().toLowerCase().slice(0, 256) }
    }
    case 'text/x-msnmsgr-datacast': {
      // §5.6: the body is its own little header block, `ID: 1` for a nudge.
      const id = readHeaderBlock(body, 0).headers.get('ID')
      const n = id !== undefined && /^\d{1,4}$/.test(id) ? Number(id) : NaN
      if (Number.isNaN(n)) throw new ProtocolError('A datacast message had no readable ID.')
      return n === 1 ? { kind: 'nudge' } : { kind: 'datacast', id: n }
    }
    case '':
      throw new ProtocolError('A switchboard message had no Content-Type.')
    default:
      return { kind: 'ignored', contentType: type.slice(0, 80) }
  }
}

function payload(headers: HeaderList, body: string): Buffer {
  let head = ''
  for (const [name, value] of headers) {
    if (/[\r\n]/.test(value)) throw new ProtocolError('A message header held a line break.')
    head += `${name}: ${value}\r\n`
  }
  return Buffer.concat([Buffer.from(`${head}\r\n`, 'utf8'), Buffer.from(body, 'utf8')])
}

/** §9 E4: a text in WLM 2009's font line. */
export function textPayload(text: string, format = WLM_FONT): Buffer {
  return payload(
    [
      ['MIME-Version', '1.0'],
      ['Content-Type', 'text/plain; charset=UTF-8'],
      ['X-MMS-IM-Format', format]
    ],
    text
  )
}

/** §9 E6: a typing notice (ack `U`). */
export function typingPayload(account: string): Buffer {
  return payload(
    [
      ['MIME-Version', '1.0'],
      ['Content-Type', 'text/x-msmsgscontrol'],
      ['TypingUser', account]
    ],
    '\r\n'
  )
}

/** §9 E7: a nudge (ack `N`). */
export function nudgePayload(): Buffer {
  return payload(
    [
      ['MIME-Version', '1.0'],
      ['Content-Type', 'text/x-msnmsgr-datacast']
    ],
    'ID: 1\r\n\r\n'
  )
}

/** Splits text into pieces of at most `limit` UTF-8 bytes, never inside a character. */
export function splitUtf8(text: string, limit = CHUNK_TEXT_BYTES): string[] {
  const out: string[] = []
  let cur = ''
  let size = 0
  for (const ch of text) {
    const n = Buffer.byteLength(ch, 'utf8')
    if (size + n > limit && cur) {
      out.push(cur)
      cur = ''
      size = 0
    }
    cur += ch
    size += n
  }
  if (cur || out.length === 0) out.push(cur)
  return out
}

/** §5.6: one payload for a short text, MSNPSharp's chunks (same Message-ID) for a long one. */
export function textPayloads(text: string, messageId: string, format = WLM_FONT): Buffer[] {
  const pieces = splitUtf8(text)
  if (pieces.length === 1) return [textPayload(text, format)]
  if (pieces.length > MAX_CHUNKS) throw new ProtocolError('The message is too long for Messenger.')
  const id = `{${messageId.replace(/^\{|\}$/g, '').toUpperCase()}}`
  return pieces.map((piece, i) =>
    i === 0
      ? payload(
          [
            ['MIME-Version', '1.0'],
            ['Content-Type', 'text/plain; charset=UTF-8'],
            ['X-MMS-IM-Format', format],
            ['Message-ID', id],
            ['Chunks', String(pieces.length)]
          ],
          piece
        )
      : payload(
          [
            ['Message-ID', id],
            ['Chunk', String(i)]
          ],
          piece
        )
  )
}

/**
 * Reassembles chunked texts per sender (§5.6). Bounded: a few open messages per sender,
 * each with a known chunk count; a text whose chunks never all arrive is dropped.
 */
export class ChunkAssembler {
  private readonly open = new Map<string, { count: number; parts: (string | undefined)[]; format: TextFormat; at: number }>()

  constructor(private readonly now: () => number = Date.now) {}

  /** The finished text, or null while chunks are still missing. */
  add(sender: string, m: Extract<SbMessage, { kind: 'text' }>): Extract<SbMessage, { kind: 'text' }> | null {
    if (!m.chunk) return m
    this.expire()
    const key = `${sender}\u0000${m.chunk.id}`
    let entry = this.open.get(key)
    if (m.chunk.index === 0) {
      if (m.chunk.count === undefined || m.chunk.count === 1) return { kind: 'text', text: m.text, format: m.format }
      if (this.open.size >= 16) this.open.delete(this.open.keys().next().value!)
      entry = { count: m.chunk.count, parts: new Array<string | undefined>(m.chunk.count).fill(undefined), format: m.format, at: this.now() }
      this.open.set(key, entry)
    }
    if (!entry || m.chunk.index >= entry.count) return null
    entry.parts[m.chunk.index] = m.text
    if (entry.parts.some((p) => p === undefined)) return null
    this.open.delete(key)
    return { kind: 'text', text: entry.parts.join(''), format: entry.format }
  }

  private expire(): void {
    const cutoff = this.now() - 60_000
    for (const [key, e] of this.open) if (e.at < cutoff) this.open.delete(key)
  }
}
