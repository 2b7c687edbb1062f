// spec §1.2–§1.5: websocket frames. Every message is `TAG,PAYLOAD`; JSON travels in text
// frames, encrypted nodes in binary frames (client → server with METRIC and FLAG bytes
// after the comma, server → client without). Pure functions, so they test alone.

import { ProtocolError } from '../../../../shared/errors'

/** spec §1.5: the metric enumeration (the values this client sends). */
export const METRIC = {
  QUERY_MEDIA: 4,
  QUERY_CHAT: 5,
  QUERY_CONTACTS: 6,
  QUERY_MESSAGES: 7,
  PRESENCE: 8,
  GROUP: 10,
  READ: 11,
  CHAT: 12,
  MESSAGE: 16,
  QUERY_RESPONSE: 41
} as const

/** spec §1.5: flag byte bits. */
export const FLAG = {
  IGNORE: 0x80,
  ACK_REQUEST: 0x40,
  AVAILABLE: 0x20,
  NOT_AVAILABLE: 0x10,
  EXPIRES: 0x08,
  SKIP_OFFLINE: 0x04
} as const

/** spec §1.4: the keep-alive is the literal three characters `?,,`. */
export const KEEP_ALIVE = '?,,'

const COMMA = 0x2c
const ascii = new TextDecoder('latin1')
const utf8 = new TextDecoder('utf-8')

export function jsonFrame(tag: string, value: unknown, doubleComma = false): string {
  if (tag.includes(',')) throw new ProtocolError('A tag cannot contain a comma.')
  return `${tag}${doubleComma ? ',,' : ','}${JSON.stringify(value)}`
}

/** spec §4: `TAG , METRIC FLAG HMAC32 IV16 CIPHERTEXT` (what `encryptFrame` returns is HMAC ‖ IV ‖ CT). */
export function binaryFrame(tag: string, metric: number, flag: number, sealed: Uint8Array): Uint8Array {
  if (tag.includes(',')) throw new ProtocolError('A tag cannot contain a comma.')
  const head = Buffer.from(tag, 'latin1')
  const out = new Uint8Array(head.length + 3 + sealed.length)
  out.set(head, 0)
  out[head.length] = COMMA
  out[head.length + 1] = metric & 0xff
  out[head.length + 2] = flag & 0xff
  out.set(sealed, head.length + 3)
  return out
}

export type ServerFrame =
  | { kind: 'pong'; serverTime: number }
  | { kind: 'empty'; tag: string }
  | { kind: 'json'; tag: string; value: unknown }
  | { kind: 'encrypted'; tag: string; data: Uint8Array }

function looksLikeJson(first: number | undefined): boolean {
  return first === 0x7b || first === 0x5b // '{' or '['
}

/**
 * Parses one frame from the server. spec §1.2: split at the first comma; in text frames a
 * second comma right after it is skipped (`tag,,json`), never in binary frames, where that
 * byte is the first HMAC byte. A binary payload that starts like JSON and parses is JSON
 * (replies to binary requests are often plain status objects); anything else is encrypted.
 */
export function parseServerFrame(data: Uint8Array, isBinary: boolean): ServerFrame {
  if (!isBinary && data[0] === 0x21 /* '!' */) {
    const serverTime = Number(ascii.decode(data.subarray(1)))
    if (!Number.isFinite(serverTime)) throw new ProtocolError('A pong frame without a time.')
    return { kind: 'pong', serverTime }
  }
  const comma = data.indexOf(COMMA)
  if (comma <= 0) throw new ProtocolError('A frame without a tag.')
  const tag = ascii.decode(data.subarray(0, comma))
  let payload = data.subarray(comma + 1)
  if (!isBinary && payload[0] === COMMA) payload = payload.subarray(1)
  if (payload.length === 0) return { kind: 'empty', tag }
  if (!isBinary || looksLikeJson(payload[0])) {
    try {
      return { kind: 'json', tag, value: JSON.parse(utf8.decode(payload)) as unknown }
    } catch (cause) {
      if (!isBinary) throw new ProtocolError('A text frame did not hold JSON.', { cause })
    }
  }
  return { kind: 'encrypted', tag, data: payload }
}
