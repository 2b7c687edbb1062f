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
  'ADL',
  'RML',
  'FQY',
  'UUX',
  'UUN',
  'UUM',
  'PUT',
  'DEL',
  'SDG',
  'QRY',
  'NOT',
  'MSG',
  'VAS',
  'SDC',
  'GCF',
  'NFY',
  'UBX',
  'UBN',
  'UBM',
  'IPG',
  'GET',
  'FSL'
])
/** spec §3.1 / §12.1: error codes that may carry an XML payload. */
const PAYLOAD_ERRORS = new Set(['201', '203', '204', '205', '210', '234', '241', '508', '509', '511', '591', '731', '801', '933'])
/**
 * Commands whose second token is never a TrID (`QNG <seconds>`, `NOT <len>`, `IPG <len>`, and
 * msnp18.md §5.5's `RNG <session id> …`: a historical all-digit session id such as
 * `RNG 11752013 …` must not be taken for a TrID and matched to a waiting request).
 */
const NO_TRID = new Set(['QNG', 'NOT', 'IPG', 'RNG'])
/** `NOT <len>` / `IPG <len>` carry a payload with no TrID at all. */
const BARE_PAYLOAD = new Set(['NOT', 'IPG'])

const NAME = /^(?:[A-Z]{3}|\d{3})$/
const CR = 0x0d
const LF = 0x0a

// Character classes as tables, not helper functions: these run for every character of every
// line, and a table read stays cheap however the module is compiled (with tsx's keep-names
// wrapping, the helper calls were not inlined and cost a third of the parse). Codes past
// 255 read as undefined: neither class.
const DIGIT = Uint8Array.from({ length: 256 }, (_, c) => (c >= 0x30 && c <= 0x39 ? 1 : 0))
const UPPER_OR_DIGIT = Uint8Array.from({ length: 256 }, (_, c) => ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) ? 1 : 0))

/** `/^\d+$/`, without a regex: this runs for every line. */
function allDigits(t: string): boolean {
  const n = t.length
  if (n === 0) return false
  for (let i = 0; i < n; i++) if (DIGIT[t.charCodeAt(i)] !== 1) return false
  return true
}

/** NAME: three upper-case letters or three digits. */
function isName(t: string): boolean {
  if (t.length !== 3) return false
  const a = t.charCodeAt(0)
  const b = t.charCodeAt(1)
  const c = t.charCodeAt(2)
  const digits = DIGIT[a]! + DIGIT[b]! + DIGIT[c]!
  // Upper-or-digit minus digit is upper: three of one class, not a mix.
  return digits === 3 || (digits === 0 && UPPER_OR_DIGIT[a] === 1 && UPPER_OR_DIGIT[b] === 1 && UPPER_OR_DIGIT[c] === 1)
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
    while (i < n && UPPER_OR_DIGIT[t.charCodeAt(i)] === 1) i++
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
  if (DIGIT[name.charCodeAt(0)] === 1) return PAYLOAD_ERRORS.has(name) && n >= 3 ? Number(last) : null
  if (!PAYLOAD_COMMANDS.has(name)) return null
  if (n >= 3) return Number(last)
  return BARE_PAYLOAD.has(name) ? Number(last) : null
}

/**
 * Splits a command line at spaces (runs of spaces count as one) in one pass that also
 * refuses control bytes, and slices the tokens out of one string of the line. spec §3.1
 * says lines are ASCII, but Escargot sends friendly names with raw UTF-8 (msnp18.md §1.2):
 * a line holding such bytes is read as UTF-8, any other as latin1 (the same, and faster).
 */
function tokenize(buf: Buffer, start: number, end: number): string[] {
  let spaces = 0
  let ascii = true
  for (let i = start; i < end; i++) {
    const b = buf[i]!
    if (b < 0x20 || b === 0x7f) throw new ProtocolError('An MSNP command line held a control byte.')
    if (b === 0x20) spaces++
    else if (b > 0x7f) ascii = false
  }
  const line = buf.toString(ascii ? 'latin1' : 'utf8', start, end)
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
function isTrid(t: string): boolean {
  return t.length <= 10 && allDigits(t)
}

function toCommand(tokens: string[], payload: Uint8Array | null): MsnpCommand {
  // The token array becomes `args` in place (no second array per command): V8 trims the
  // front of a small array without copying.
  const name = tokens.shift()!
  if (payload !== null) tokens.pop()
  let trid: number | null = null
  if (tokens.length > 0 && !NO_TRID.has(name) && isTrid(tokens[0]!)) trid = Number(tokens.shift())
  return { name, trid, args: tokens, payload }
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
    // A JS loop, not Buffer.indexOf: lines are a few dozen bytes, and the native call's
    // fixed cost was over a quarter of the parse time (issue 14). Bounded by the line limit.
    const stop = Math.min(buf.length, pos + limits.maxLineBytes + 2)
    let lineEnd = pos
    while (lineEnd < stop && buf[lineEnd] !== LF) lineEnd++
    if (lineEnd === stop) {
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

/** A remainder of a buffer up to this size is kept as a view; of a larger one, copied. */
const KEEP_VIEW_BYTES = 64 * 1024

/**
 * Reassembles commands from TCP reads. A payload that arrives in many reads is only
 * parsed once it is complete, so a large payload costs one copy, not one per read.
 * `push` keeps the chunk it is given (held bytes and payloads are views of it), so the
 * caller hands it over: a net.Socket's 'data' buffers are fresh for every read.
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
    // The remainder stays a view: most reads of a busy stream end inside a command, and a
    // copy of it on every read cost about a sixth of 1460-byte reassembly (issue 14). Past a
    // large payload it is copied, so the remainder does not keep the whole buffer alive.
    const rest = buf.subarray(consumed)
    this.chunks = rest.length === 0 ? [] : [buf.length > KEEP_VIEW_BYTES ? Buffer.from(rest) : rest]
    this.size = rest.length
    this.needed = needed
    return commands
  }

  /** Bytes held for a command still arriving. */
  get pending(): number {
    return this.size
  }
}
