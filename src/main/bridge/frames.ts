// Bounded work per request frame. A JSON frame is checked by one linear scan of its bytes
// BEFORE JSON.parse sees it: nesting depth, the number of structural tokens, and its size
// against the cap of the request it names. JSON.parse of 15 MB of nested arrays takes
// seconds and a GiB; of a frame that passed this scan it is a few values and strings.

import type { RequestName } from '../../shared/api'
import { LIMITS } from './schemas'

/** Most requests are a few ids and short strings; 64 KiB is far above the largest of them. */
export const DEFAULT_FRAME_BYTES = 64 * 1024

/** JSON.stringify writes a control character as `\u001f`: six bytes per UTF-16 unit at worst. */
const WORST_JSON_BYTES_PER_CHAR = 6
const ENVELOPE_BYTES = 4 * 1024
const textFrameBytes = LIMITS.text * WORST_JSON_BYTES_PER_CHAR + ENVELOPE_BYTES

/**
 * The requests whose largest valid argument does not fit the default: a draft's text, and
 * sendMessage's image draft (the only media upload). The unit test builds the largest
 * argument each schema accepts and checks it fits here, so the caps cannot drift below it.
 */
export const FRAME_BYTE_LIMITS: Readonly<Partial<Record<RequestName, number>>> = {
  // A file draft's bytes are capped like a picture's (LIMITS.fileBase64), so one cap covers both; a picture
  // adds its caption (text), its preview and its file name.
  sendMessage: Math.max(LIMITS.imageBase64, LIMITS.fileBase64) + textFrameBytes + LIMITS.thumbnailBase64 + LIMITS.fileName * WORST_JSON_BYTES_PER_CHAR,
  // A draft keeps text longer than any network takes (LIMITS.draft), so it gets its own cap.
  updateChat: LIMITS.draft * WORST_JSON_BYTES_PER_CHAR + ENVELOPE_BYTES
}

/** The cap for a frame that names `name` (or names nothing readable). */
export function frameByteLimit(name: string | null): number {
  return (name !== null && Object.hasOwn(FRAME_BYTE_LIMITS, name) ? FRAME_BYTE_LIMITS[name as RequestName] : undefined) ?? DEFAULT_FRAME_BYTES
}

/** The transport's own ceiling (ws `maxPayload`): nothing larger is even buffered. */
export const MAX_FRAME_BYTES = Math.max(DEFAULT_FRAME_BYTES, ...Object.values(FRAME_BYTE_LIMITS))

/** The deepest valid frame nests 3 levels ({ arg: { draft: {…} } }); 16 leaves room to grow. */
export const MAX_FRAME_DEPTH = 16
/** `[ { , :` outside strings. No request has an array; the largest (8 login fields) has under 60. */
export const MAX_FRAME_TOKENS = 1024

export type FrameProblem = 'too-large' | 'too-deep' | 'too-complex' | 'malformed'

export type FrameScan = { ok: true; name: string | null; id: number | null } | { ok: false; problem: FrameProblem; name: string | null; id: number | null }

/**
 * A frame above the default cap must name its request within its first bytes (the renderer
 * writes `{"id":…,"name":…,"arg":…}`), so its cap is known before the rest is looked at, and
 * a transport can judge it from a prefix while it is still arriving (host/frame-gate.ts).
 */
export const NAME_WINDOW_BYTES = 256

export interface FrameScanLimits {
  maxDepth: number
  maxTokens: number
  byteLimit(name: string | null): number
}

export interface FrameScanOptions {
  limits?: FrameScanLimits
  /**
   * Set when `bytes` is only the start of a frame of this many bytes (still arriving): the
   * scan then judges what it can see and passes what it cannot judge yet.
   */
  prefixOf?: number
}

const DEFAULT_LIMITS: FrameScanLimits = { maxDepth: MAX_FRAME_DEPTH, maxTokens: MAX_FRAME_TOKENS, byteLimit: frameByteLimit }

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const COLON = 0x3a
const OPEN_OBJECT = 0x7b
const CLOSE_OBJECT = 0x7d
const OPEN_ARRAY = 0x5b
const CLOSE_ARRAY = 0x5d
const MINUS = 0x2d
const ZERO = 0x30
const NINE = 0x39

const MAX_KEY_BYTES = 16
const MAX_NAME_BYTES = 64
const MAX_ID_BYTES = 24

/**
 * One pass over the frame's UTF-8 bytes (`"`, `\`, brackets and separators are ASCII and never
 * occur inside a multi-byte sequence). Reads the top-level `name` and `id` on the way, so a
 * frame larger than its request's cap is refused as soon as its name is read; stops at the
 * first depth or token excess. Strings are skipped with a native indexOf. A name value written
 * with escapes is not read (it gets the default cap: the strict side); a top-level key the scan
 * cannot read, or a second `name`, is malformed: the scan must judge the frame JSON.parse sees.
 */
export function scanFrame(bytes: Uint8Array, options: FrameScanOptions = {}): FrameScan {
  const limits = options.limits ?? DEFAULT_LIMITS
  const partial = options.prefixOf !== undefined
  const n = bytes.length
  const total = options.prefixOf ?? n
  const nameDeadline = total > limits.byteLimit(null) ? NAME_WINDOW_BYTES : Infinity
  let depth = 0
  let tokens = 0
  let topIsObject = false
  let expectingKey = false
  let afterColon = false
  let key: string | null = null
  let name: string | null = null
  let nameSeen = false
  let id: number | null = null
  const fail = (problem: FrameProblem): FrameScan => ({ ok: false, problem, name, id })

  for (let i = 0; i < n; i++) {
    if (i >= nameDeadline && !nameSeen) return fail('too-large')
    const c = bytes[i]!
    if (c === QUOTE) {
      const start = i + 1
      let end = bytes.indexOf(QUOTE, start)
      for (;;) {
        if (end < 0) {
          if (!partial) return fail('malformed')
          // A string that runs past a prefix longer than the name window: whether it is the name
          // (too long to be one) or not, the name is not read in time.
          return !nameSeen && n > NAME_WINDOW_BYTES && nameDeadline !== Infinity ? fail('too-large') : { ok: true, name, id }
        }
        // A quote ends the string unless an odd run of backslashes precedes it. The runs
        // before different quotes are disjoint, so this stays linear.
        let slashes = 0
        while (end - 1 - slashes >= start && bytes[end - 1 - slashes] === BACKSLASH) slashes++
        if (slashes % 2 === 0) break
        end = bytes.indexOf(QUOTE, end + 1)
      }
      i = end
      if (depth !== 1 || !topIsObject) continue
      if (expectingKey) {
        key = plainAscii(bytes, start, end, MAX_KEY_BYTES)
        // An escaped or odd top-level key could spell `name` for JSON.parse but not for this scan.
        if (key === null) return fail('malformed')
        expectingKey = false
      } else if (afterColon) {
        afterColon = false
        if (key === 'name') {
          if (nameSeen) return fail('malformed')
          nameSeen = true
          name = plainAscii(bytes, start, end, MAX_NAME_BYTES)
          if (total > limits.byteLimit(name)) return fail('too-large')
        }
      }
      continue
    }
    switch (c) {
      case OPEN_OBJECT:
      case OPEN_ARRAY:
        if (++tokens > limits.maxTokens) return fail('too-complex')
        if (++depth > limits.maxDepth) return fail('too-deep')
        if (depth === 1) {
          topIsObject = c === OPEN_OBJECT
          expectingKey = topIsObject
        } else if (depth === 2) afterColon = false
        break
      case CLOSE_OBJECT:
      case CLOSE_ARRAY:
        if (--depth < 0) return fail('malformed')
        break
      case COMMA:
        if (++tokens > limits.maxTokens) return fail('too-complex')
        if (depth === 1) {
          expectingKey = topIsObject
          afterColon = false
        }
        break
      case COLON:
        if (++tokens > limits.maxTokens) return fail('too-complex')
        if (depth === 1) afterColon = true
        break
      default:
        if (depth === 1 && afterColon && key === 'id' && (c === MINUS || (c >= ZERO && c <= NINE))) {
          let end = i
          while (end < n && end - i <= MAX_ID_BYTES && isNumberByte(bytes[end]!)) end++
          const value = Number(ascii(bytes, i, end))
          id = Number.isSafeInteger(value) ? value : null
          afterColon = false
          i = end - 1
        } else if (depth === 1 && afterColon && c > 0x20) afterColon = false
    }
  }
  if (partial) return { ok: true, name, id }
  if (depth !== 0) return fail('malformed')
  if (!nameSeen && n > limits.byteLimit(null)) return fail('too-large')
  return { ok: true, name, id }
}

function isNumberByte(c: number): boolean {
  return (c >= ZERO && c <= NINE) || c === MINUS || c === 0x2b || c === 0x2e || c === 0x45 || c === 0x65
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  let out = ''
  for (let i = start; i < end; i++) out += String.fromCharCode(bytes[i]!)
  return out
}

/** The string's text if it is short printable ASCII without escapes; else null (not read). */
function plainAscii(bytes: Uint8Array, start: number, end: number, max: number): string | null {
  if (end - start > max) return null
  for (let i = start; i < end; i++) if (bytes[i]! === BACKSLASH || bytes[i]! < 0x20 || bytes[i]! > 0x7e) return null
  return ascii(bytes, start, end)
}

/**
 * The same bounds for an argument that arrives already decoded (Electron's ipc deserializes
 * before main sees it, so there are no bytes to scan): one iterative walk that stops at the
 * first bound crossed, before the schema or JSON.stringify walks a hostile value recursively.
 * Sizes count as JSON would write them (strings by their length, as in `frameByteLimit`).
 */
export function scanValue(value: unknown, name: string | null, limits: FrameScanLimits = DEFAULT_LIMITS): FrameProblem | null {
  const byteLimit = limits.byteLimit(name)
  let bytes = 0
  let tokens = 0
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }]
  while (stack.length > 0) {
    const { value: v, depth } = stack.pop()!
    if (typeof v === 'string') bytes += v.length + 2
    else if (v === null || typeof v === 'number' || typeof v === 'boolean' || v === undefined) bytes += 8
    else if (typeof v === 'object') {
      if (depth >= limits.maxDepth) return 'too-deep'
      const proto = Object.getPrototypeOf(v) as unknown
      if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) return 'malformed'
      const keys = Object.keys(v)
      tokens += 1 + keys.length
      if (tokens > limits.maxTokens) return 'too-complex'
      bytes += 2
      for (const key of keys) {
        bytes += key.length + 4
        stack.push({ value: (v as Record<string, unknown>)[key], depth: depth + 1 })
      }
    } else return 'malformed'
    if (bytes > byteLimit) return 'too-large'
  }
  return null
}
