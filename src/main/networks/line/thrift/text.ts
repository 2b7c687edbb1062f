// Thrift strings (issue 14): strict UTF-8, the short-string cache and interning, split out of
// protocol.ts; the readers of both wire protocols call these for every string they decode.

import { ProtocolError } from '../../../../shared/errors'

/** UTF-8 length of `s`: its length when it is ASCII (the common case), Buffer.byteLength otherwise. */
export function utf8Length(s: string): number {
  const n = s.length
  if (n > 64) return Buffer.byteLength(s, 'utf8')
  for (let i = 0; i < n; i++) if (s.charCodeAt(i) >= 0x80) return Buffer.byteLength(s, 'utf8')
  return n
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true })

/**
 * Buffer's own decoders, which `toString(encoding, start, end)` dispatches to after
 * normalising its arguments and looking the encoding up: called directly, a string costs
 * one native call (the message text was a tenth of a decode). Not in Node's typings, but
 * on every Buffer since Node 0.x (msgpackr and cbor-x rely on them too); toString stands in
 * should they ever go.
 */
interface SlicingBuffer extends Buffer {
  utf8Slice(start: number, end: number): string
  latin1Slice(start: number, end: number): string
}
const HAS_SLICES =
  typeof (Buffer.prototype as Partial<SlicingBuffer>).utf8Slice === 'function' && typeof (Buffer.prototype as Partial<SlicingBuffer>).latin1Slice === 'function'

/**
 * Node's decoder replaces every invalid sequence with U+FFFD, so text without one was valid
 * UTF-8; only text that holds one is checked again by the strict decoder (it may be a real
 * U+FFFD).
 */
export function strictUtf8(b: Buffer, start: number, end: number): string {
  const s = HAS_SLICES ? (b as SlicingBuffer).utf8Slice(start, end) : b.toString('utf8', start, end)
  if (s.indexOf('\uFFFD') === -1) return s
  return decodeUtf8(b.subarray(start, end))
}

/**
 * Short ASCII strings repeat in Thrift traffic (mids, map keys and values, enum-like text):
 * a small direct-mapped cache hands back the string decoded last time the same bytes were
 * seen, compared character by character, so a repeat costs a hash and a compare instead of
 * a new string (issue 14: making strings was most of the decode time). Only ASCII is
 * cached, which is what makes the comparison against the bytes exact.
 */
export const CACHED_MAX = 48
const CACHE_SLOTS = 4096
const cachedText: (string | undefined)[] = Array.from({ length: CACHE_SLOTS }, () => undefined)
/** The bytes of each cached string as little-endian 32-bit words (zero-padded), compared four bytes at a time. */
const cachedWords: (Int32Array | undefined)[] = Array.from({ length: CACHE_SLOTS }, () => undefined)

/** The low `n % 4` bytes of a little-endian word. */
const TAIL_MASK = [0, 0xff, 0xffff, 0xffffff]

export function shortText(b: Buffer, view: DataView, start: number, n: number): string {
  if (n === 0) return ''
  const end = start + n
  // The slot comes from the length and a few bytes at both ends (sequential ids differ at
  // the end, mids at the start); the full comparison below is what decides a hit.
  // 32-bit integer arithmetic (Math.imul, | 0): a double here cost a truncation per string.
  const hash =
    ((Math.imul(n, 0x9e3779b1) ^ Math.imul(b[start]!, 0x01000193)) + b[end - 1]! * 0x2f + b[start + (n >> 1)]! * 0x3b + (n > 2 ? b[end - 2]! * 0x101 : 0)) | 0
  const slot = (hash ^ (hash >>> 13)) & (CACHE_SLOTS - 1)
  const cached = cachedText[slot]
  if (cached !== undefined && cached.length === n) {
    const words = cachedWords[slot]!
    const whole = n >> 2
    let k = 0
    while (k < whole && view.getInt32(start + 4 * k, true) === words[k]) k++
    if (k === whole) {
      const rest = n & 3
      if (rest === 0) return cached
      const at = start + 4 * whole
      // The tail as one masked word when four bytes can be read there (the cached word is zero-padded).
      if (at + 4 <= view.byteLength) {
        if ((view.getInt32(at, true) & TAIL_MASK[rest]!) === words[whole]) return cached
      } else {
        let i = 4 * whole
        while (i < n && cached.charCodeAt(i) === b[start + i]) i++
        if (i === n) return cached
      }
    }
  }
  let high = 0
  for (let i = start; i < end; i++) high |= b[i]!
  if (high >= 0x80) return strictUtf8(b, start, end)
  let out: string
  if (n <= 12) {
    out = ''
    for (let i = start; i < end; i++) out += String.fromCharCode(b[i]!)
  } else out = HAS_SLICES ? (b as SlicingBuffer).latin1Slice(start, end) : b.toString('latin1', start, end)
  // Interned: a cached string is used as an object key again and again (map keys, and the
  // Store's lookups by id), and a key that is already internalized is stored and compared
  // by pointer; a fresh string is looked up in V8's string table on every keyed store.
  out = intern(out)
  const whole = n >> 2
  const words = new Int32Array((n + 3) >> 2)
  for (let k = 0; k < whole; k++) words[k] = view.getInt32(start + 4 * k, true)
  // The tail word, zero-padded: only its first n % 4 bytes are ever compared (by character).
  for (let i = 4 * whole; i < n; i++) words[whole]! |= b[start + i]! << (8 * (i & 3))
  cachedText[slot] = out
  cachedWords[slot] = words
  return out
}

/** `s` as V8's internalized copy: property keys are internalized, and Object.keys hands that copy back. */
function intern(s: string): string {
  return Object.keys({ [s]: 0 })[0] ?? s
}

const utf8 = new TextEncoder()

export function encodeUtf8(s: string): Uint8Array {
  return utf8.encode(s)
}

export function decodeUtf8(b: Uint8Array): string {
  try {
    return utf8Strict.decode(b)
  } catch (cause) {
    throw new ProtocolError('A Thrift string is not valid UTF-8.', { cause })
  }
}
