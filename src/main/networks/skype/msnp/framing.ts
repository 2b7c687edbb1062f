// MSNP command framing (spec §3): line commands end in CRLF; payload commands carry
// their payload length (in bytes, never UTF-16 units) as the last token of the line and
// are followed by exactly that many bytes, with no CRLF after them. One parser serves both
// dialects: an MSNP24 line is recognised by its type id (`CON`, `MSGR\PUT`…), an MSNP21
// line by the per-command payload rules that Escargot and MSNPSharp use.

import { ProtocolError } from '../../../../shared/errors'

export interface MsnpCommand {
  /** Three upper-case letters, or a three-digit error code. */
  name: string
  /** The transaction id when the line carries one (unsolicited server commands use 0). */
  trid: number | null
  /** The tokens after the TrID, without the payload length. */
  args: string[]
  /** Exactly the bytes after the line for payload commands; null for line commands. */
  payload: Uint8Array | null
}

export interface FramingLimits {
  /** Longest command line accepted, CRLF excluded (an OAuth ticket in `USR … SSO S` runs to several KB). */
  maxLineBytes: number
  maxPayloadBytes: number
}

export const DEFAULT_LIMITS: FramingLimits = { maxLineBytes: 32 * 1024, maxPayloadBytes: 1024 * 1024 }

// spec §3.2: the MSNP24 type id, e.g. `CON`, `CON\USER`, `MSGR\RECENTCONVERSATIONS` (isTypeId below).
/** spec §3.1: MSNP21 commands whose last integer token is a payload length (both directions). */
const PAYLOAD_COMMANDS = new Set([
  'ADL', 'RML', 'FQY', 'UUX', 'UUN', 'UUM', 'PUT', 'DEL', 'SDG', 'QRY', 'NOT', 'MSG', 'VAS', 'SDC',
  'GCF', 'NFY', 'UBX', 'UBN', 'UBM', 'IPG', 'GET', 'FSL'
])
/** spec §3.1 / §12.1: error codes that may carry an XML payload. */
const PAYLOAD_ERRORS = new Set(['201', '203', '204', '205', '210', '234', '241', '508', '509', '511', '591', '731', '801', '933'])
/** Commands whose second token is never a TrID (`QNG <seconds>`, `NOT <len>`, `IPG <len>`). */
const NO_TRID = new Set(['QNG', 'NOT', 'IPG'])
/** `NOT <len>` / `IPG <len>` carry a payload with no TrID at all. */
const BARE_PAYLOAD = new Set(['NOT', 'IPG'])

const NAME = /^(?:[A-Z]{3}|\d{3})$/
const CR = 0x0d
const LF = 0x0a

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39
const isUpper = (c: number): boolean => c >= 0x41 && c <= 0x5a

/** `/^\d+$/`, without a regex: this runs for every line. */
function allDigits(t: string): boolean {
  const n = t.length
  if (n === 0) return false
  for (let i = 0; i < n; i++) if (!isDigit(t.charCodeAt(i))) return false
  return true
}

/** NAME: three upper-case letters or three digits. */
function isName(t: string): boolean {
  if (t.length !== 3) return false
  const a = t.charCodeAt(0)
  const b = t.charCodeAt(1)
  const c = t.charCodeAt(2)
  return (isUpper(a) && isUpper(b) && isUpper(c)) || (isDigit(a) && isDigit(b) && isDigit(c))
}

/** TYPE_ID (spec §3.2), tested by hand: `CON` or `MSGR`, then any number of `\[A-Z0-9]+`. */
function isTypeId(t: string): boolean {
  let i: number
  if (t.startsWith('CON')) i = 3
  else if (t.startsWith('MSGR')) i = 4
  else return false
  const n = t.length
  while (i < n) {
    if (t.charCodeAt(i) !== 0x5c /* \ */) return false
    const from = ++i
    while (i < n && (isUpper(t.charCodeAt(i)) || isDigit(t.charCodeAt(i)))) i++
    if (i === from) return false
  }
  return true
}

/** The payload length a command line announces, or null for a line command (spec §3.3 step 2). */
export function announcedLength(tokens: readonly string[]): number | null {
  const n = tokens.length
  const last = tokens[n - 1]!
  if (n < 2 || !allDigits(last)) return null
  if ((n === 3 || n === 4) && isTypeId(tokens[n - 2]!)) return Number(last)
  const name = tokens[0]!
  if (isDigit(name.charCodeAt(0))) return PAYLOAD_ERRORS.has(name) && n >= 3 ? Number(last) : null
  if (!PAYLOAD_COMMANDS.has(name)) return null
  if (n >= 3) return Number(last)
  return BARE_PAYLOAD.has(name) ? Number(last) : null
}

/**
 * Splits a command line at spaces (runs of spaces count as one) in one pass that also
 * checks every byte is printable ASCII (spec §3.1: friendly names and addresses travel
 * URL-encoded), and slices the tokens out of one latin1 string of the line.
 */
function tokenize(buf: Buffer, start: number, end: number): string[] {
  let spaces = 0
  for (let i = start; i < end; i++) {
    const b = buf[i]!
    if (b < 0x20 || b > 0x7e) throw new ProtocolError('An MSNP command line held a byte that is not printable ASCII.')
    if (b === 0x20) spaces++
  }
  const line = buf.toString('latin1', start, end)
  const tokens: string[] = []
  if (spaces === 0) {
    if (line.length > 0) tokens.push(line)
  } else {
    let from = 0
    const n = line.length
    while (from < n) {
      let to = line.indexOf(' ', from)
      if (to < 0) to = n
      if (to > from) tokens.push(line.slice(from, to))
      from = to + 1
    }
  }
  if (tokens.length === 0) throw new ProtocolError('An MSNP command line was empty.')
  if (!isName(tokens[0]!)) throw new ProtocolError('An MSNP command line did not start with a command name.', { detail: tokens[0]!.slice(0, 16) })
  return tokens
}

/** TRID: one to ten digits. */
const isTrid = (t: string): boolean => t.length <= 10 && allDigits(t)

function toCommand(tokens: string[], payload: Uint8Array | null): MsnpCommand {
  const name = tokens[0]!
  // The tokens after the name, without the payload length.
  const end = payload === null ? tokens.length : tokens.length - 1
  let first = 1
  let trid: number | null = null
  if (end > 1 && !NO_TRID.has(name) && isTrid(tokens[1]!)) {
    trid = Number(tokens[1])
    first = 2
  }
  const args: string[] = []
  for (let i = first; i < end; i++) args.push(tokens[i]!)
  return { name, trid, args, payload }
}

interface Scan {
  commands: MsnpCommand[]
  consumed: number
  /** Bytes the buffer must hold (from its start) before the next command can complete; 0 when unknown. */
  needed: number
}

function scan(bytes: Uint8Array, limits: FramingLimits): Scan {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const commands: MsnpCommand[] = []
  let pos = 0
  for (;;) {
    const lineEnd = buf.indexOf(LF, pos)
    if (lineEnd < 0) {
      if (buf.length - pos > limits.maxLineBytes + 1) throw new ProtocolError('An MSNP command line was longer than allowed.')
      return { commands, consumed: pos, needed: 0 }
    }
    if (lineEnd - pos > limits.maxLineBytes + 1) throw new ProtocolError('An MSNP command line was longer than allowed.')
    if (lineEnd === pos || buf[lineEnd - 1] !== CR) throw new ProtocolError('An MSNP command line did not end in CRLF.')
    const tokens = tokenize(buf, pos, lineEnd - 1)
    const length = announcedLength(tokens)
    const bodyStart = lineEnd + 1
    if (length === null) {
      commands.push(toCommand(tokens, null))
      pos = bodyStart
      continue
    }
    if (length > limits.maxPayloadBytes) throw new ProtocolError('An MSNP payload was larger than allowed.', { detail: tokens[0] })
    if (buf.length - bodyStart < length) return { commands, consumed: pos, needed: bodyStart + length - pos }
    // A view, not a copy (spec §3: exactly the bytes after the line): the bytes are the
    // caller's or the reader's own reassembly buffer, and nothing writes to either.
    commands.push(toCommand(tokens, buf.subarray(bodyStart, bodyStart + length)))
    pos = bodyStart + length
  }
}

/**
 * Splits bytes into complete commands. `rest` holds the start of a command that has not
 * fully arrived (keep it and prepend it to the next read). Throws ProtocolError on bytes
 * that cannot be MSNP.
 */
export function parseCommands(bytes: Uint8Array, limits: FramingLimits = DEFAULT_LIMITS): { commands: MsnpCommand[]; rest: Uint8Array } {
  const { commands, consumed } = scan(bytes, limits)
  return { commands, rest: bytes.subarray(consumed) }
}

const SAFE_TOKEN = /^[\x21-\x7e]+$/

/** The bytes of a command; the payload length is written from the payload itself. */
export function formatCommand(command: MsnpCommand): Uint8Array {
  if (!NAME.test(command.name)) throw new ProtocolError('Not an MSNP command name.', { detail: command.name.slice(0, 16) })
  const tokens = [command.name]
  if (command.trid !== null) {
    if (!Number.isSafeInteger(command.trid) || command.trid < 0) throw new ProtocolError('An MSNP TrID must be a non-negative integer.')
    tokens.push(String(command.trid))
  }
  for (const arg of command.args) {
    if (!SAFE_TOKEN.test(arg)) throw new ProtocolError('An MSNP argument held a space or a control character.')
    tokens.push(arg)
  }
  if (command.payload === null) return Buffer.from(`${tokens.join(' ')}\r\n`, 'latin1')
  tokens.push(String(command.payload.byteLength))
  const line = Buffer.from(`${tokens.join(' ')}\r\n`, 'latin1')
  return Buffer.concat([line, command.payload])
}

/**
 * Reassembles commands from TCP reads. A payload that arrives in many reads is only
 * parsed once it is complete, so a large payload costs one copy, not one per read.
 */
export class CommandReader {
  private chunks: Buffer[] = []
  private size = 0
  private needed = 0

  constructor(private readonly limits: FramingLimits = DEFAULT_LIMITS) {}

  push(chunk: Uint8Array): MsnpCommand[] {
    this.chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))
    this.size += chunk.byteLength
    if (this.size < this.needed) return []
    const buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size)
    const { commands, consumed, needed } = scan(buf, this.limits)
    const rest = buf.subarray(consumed)
    // Keep a private copy of the remainder, so the caller's read buffer can be reused.
    this.chunks = rest.length > 0 ? [Buffer.from(rest)] : []
    this.size = rest.length
    this.needed = needed
    return commands
  }

  /** Bytes held for a command still arriving. */
  get pending(): number {
    return this.size
  }
}
