// The "multi-MIME" payload of SDG, PUT, DEL and NFY (spec §6.1): header blocks of
// `Name: value` lines, each ended by an empty line, then a body of exactly
// Content-Length bytes. MSNP24 puts one more block on top (Registration, Ack-Id,
// Set-Registration). Blocks are split as bytes: the body may be binary or contain
// CRLFCRLF, so it is never split itself (spec §3.3 step 4).

import { ProtocolError } from '../../../../shared/errors'

export type HeaderList = [name: string, value: string][]

/** Header lookup by case-insensitive name (spec §3.3 step 5); the list keeps wire order. */
export class Headers {
  constructor(readonly list: HeaderList = []) {}

  get(name: string): string | undefined {
    const lower = name.toLowerCase()
    for (const [n, v] of this.list) if (n.toLowerCase() === lower) return v
    return undefined
  }

  has(name: string): boolean {
    return this.get(name) !== undefined
  }
}

export interface MultiMime {
  /** MSNP24's top block; null in MSNP21. */
  top: Headers | null
  routing: Headers
  reliability: Headers
  content: Headers
  body: Uint8Array
}

const MAX_HEADERS_PER_BLOCK = 128
const MAX_HEADER_LINE = 16 * 1024
const LF = 0x0a
const CR = 0x0d

/** Reads one header block from `pos`; lenient about bare LF and spaces after the colon (spec §3.3 step 6). */
export function readHeaderBlock(bytes: Uint8Array, pos: number): { headers: Headers; next: number } {
  const list: HeaderList = []
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (;;) {
    if (pos >= buf.length) return { headers: new Headers(list), next: pos }
    const lf = buf.indexOf(LF, pos)
    const end = lf < 0 ? buf.length : lf
    const lineEnd = end > pos && buf[end - 1] === CR ? end - 1 : end
    if (lineEnd - pos > MAX_HEADER_LINE) throw new ProtocolError('A message header line was longer than allowed.')
    const next = lf < 0 ? buf.length : lf + 1
    if (lineEnd === pos) return { headers: new Headers(list), next }
    const line = buf.toString('utf8', pos, lineEnd)
    const colon = line.indexOf(':')
    // Escargot's policy blobs fold lines with "\n\t"; a line without a colon continues nothing we read.
    if (colon > 0) {
      if (list.length >= MAX_HEADERS_PER_BLOCK) throw new ProtocolError('A message header block had too many headers.')
      list.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()])
    }
    pos = next
  }
}

/** Splits an MSNP24 payload into its top block and what follows it (XML for CNT/ATH/BND/PUT replies). */
export function splitTopBlock(payload: Uint8Array): { top: Headers; rest: Uint8Array } {
  const { headers, next } = readHeaderBlock(payload, 0)
  return { top: headers, rest: payload.subarray(next) }
}

export function parseMultiMime(payload: Uint8Array, withTop: boolean): MultiMime {
  let pos = 0
  let top: Headers | null = null
  if (withTop) {
    const block = readHeaderBlock(payload, pos)
    top = block.headers
    pos = block.next
  }
  const routing = readHeaderBlock(payload, pos)
  const reliability = readHeaderBlock(payload, routing.next)
  const content = readHeaderBlock(payload, reliability.next)
  if (!routing.headers.has('Routing') && !routing.headers.has('To') && !routing.headers.has('From')) {
    throw new ProtocolError('A message payload had no routing headers.')
  }
  const rest = payload.subarray(content.next)
  const declared = content.headers.get('Content-Length')
  let body = rest
  if (declared !== undefined) {
    const length = /^\d{1,9}$/.test(declared) ? Number(declared) : NaN
    if (Number.isNaN(length)) throw new ProtocolError('A message had an unreadable Content-Length.')
    body = rest.subarray(0, Math.min(length, rest.length))
  }
  return { top, routing: routing.headers, reliability: reliability.headers, content: content.headers, body: body.slice() }
}

const HEADER_NAME = /^[A-Za-z0-9-]+$/

function blockBytes(list: HeaderList): string {
  let out = ''
  for (const [name, value] of list) {
    if (!HEADER_NAME.test(name) || /[\r\n]/.test(value)) throw new ProtocolError('A message header held a line break.')
    out += `${name}: ${value}\r\n`
  }
  return `${out}\r\n`
}

/** The bytes of a header block followed by a body (MSNP24 top block + XML, or one MIME block + body). */
export function formatBlocks(blocks: HeaderList[], body: Uint8Array | string = ''): Uint8Array {
  const head = Buffer.from(blocks.map(blockBytes).join(''), 'utf8')
  const tail = typeof body === 'string' ? Buffer.from(body, 'utf8') : body
  return Buffer.concat([head, tail])
}

export function formatMultiMime(m: {
  top?: HeaderList | null
  routing: HeaderList
  reliability: HeaderList
  content: HeaderList
  body: Uint8Array | string
}): Uint8Array {
  const blocks = m.top ? [m.top, m.routing, m.reliability, m.content] : [m.routing, m.reliability, m.content]
  return formatBlocks(blocks, m.body)
}

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

/** Text of a payload part; a bad byte becomes U+FFFD rather than failing the whole message. */
export function decodeText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
}
