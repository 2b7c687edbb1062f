// WhatsApp media encryption, shared by both protocols: legacy spec whatsapp-web.md §7.3 and
// multi-device spec whatsapp-md.md §8.2 ("identical to legacy"). HKDF(mediaKey, 112, APP_INFO)
// → iv ‖ cipherKey ‖ macKey ‖ refKey; upload AES-256-CBC(file) ‖ HMAC-SHA256(iv ‖ enc)[0:10].

import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto'
import { JunctionError, ProtocolError } from '../../../shared/errors'

export type MediaType = 'image' | 'sticker' | 'video' | 'audio' | 'document' | 'history' | 'app-state'

/** spec md §8.2 table: the HKDF info string per media type; stickers use the image keys. */
export const MEDIA_INFO: Record<MediaType, string> = {
  image: 'WhatsApp Image Keys',
  sticker: 'WhatsApp Image Keys',
  video: 'WhatsApp Video Keys',
  audio: 'WhatsApp Audio Keys',
  document: 'WhatsApp Document Keys',
  history: 'WhatsApp History Keys',
  'app-state': 'WhatsApp App State Keys'
}

export interface MediaKeys {
  iv: Uint8Array
  cipherKey: Uint8Array
  macKey: Uint8Array
  refKey: Uint8Array
}

const ZERO_SALT = new Uint8Array(32)

function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest())
}

function mac10(macKey: Uint8Array, iv: Uint8Array, enc: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', macKey).update(iv).update(enc).digest().subarray(0, 10))
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b)
}

export function expandMediaKey(mediaKey: Uint8Array, type: MediaType): MediaKeys {
  if (mediaKey.length !== 32) throw new ProtocolError('A media key has 32 bytes.')
  const x = new Uint8Array(hkdfSync('sha256', mediaKey, ZERO_SALT, MEDIA_INFO[type], 112))
  return { iv: x.slice(0, 16), cipherKey: x.slice(16, 48), macKey: x.slice(48, 80), refKey: x.slice(80, 112) }
}

/**
 * `enc ‖ mac10` → the file. The truncated MAC covers iv ‖ enc; the optional SHA-256 and
 * length checks catch a file that decrypted but is not the one the message names (md §8.4:
 * a client MUST verify the MAC and fileSha256, SHOULD verify fileEncSha256).
 */
export function decryptMedia(
  blob: Uint8Array,
  mediaKey: Uint8Array,
  type: MediaType,
  expect: { fileSha256?: Uint8Array | null; fileEncSha256?: Uint8Array | null; fileLength?: number | null } = {}
): Uint8Array {
  if (blob.length < 10 + 16 || (blob.length - 10) % 16 !== 0) throw new ProtocolError('The media file has an impossible length.')
  if (expect.fileEncSha256 && expect.fileEncSha256.length > 0 && !sameBytes(sha256(blob), expect.fileEncSha256)) {
    throw new JunctionError('integrity', 'The downloaded media is not the file the message names.')
  }
  const keys = expandMediaKey(mediaKey, type)
  const enc = blob.subarray(0, blob.length - 10)
  if (!sameBytes(mac10(keys.macKey, keys.iv, enc), blob.subarray(blob.length - 10)))
    throw new JunctionError('integrity', 'The media file failed its integrity check.')
  let file: Uint8Array
  try {
    const d = createDecipheriv('aes-256-cbc', keys.cipherKey, keys.iv)
    file = new Uint8Array(Buffer.concat([d.update(enc), d.final()]))
  } catch (cause) {
    // Only after the MAC matched: a padding failure here is not an oracle.
    throw new ProtocolError('The media file did not decrypt.', { cause })
  }
  if (expect.fileLength !== undefined && expect.fileLength !== null && expect.fileLength > 0 && file.length !== expect.fileLength) {
    throw new JunctionError('integrity', 'The media file has the wrong length.')
  }
  if (expect.fileSha256 && expect.fileSha256.length > 0 && !sameBytes(sha256(file), expect.fileSha256)) {
    throw new JunctionError('integrity', 'The media file failed its checksum.')
  }
  return file
}

/** Encryption, for sending media (pinned by the same vector). */
export function encryptMedia(file: Uint8Array, mediaKey: Uint8Array, type: MediaType): { blob: Uint8Array; fileSha256: Uint8Array; fileEncSha256: Uint8Array } {
  const keys = expandMediaKey(mediaKey, type)
  const c = createCipheriv('aes-256-cbc', keys.cipherKey, keys.iv)
  const enc = new Uint8Array(Buffer.concat([c.update(file), c.final()]))
  const mac = mac10(keys.macKey, keys.iv, enc)
  const blob = new Uint8Array(enc.length + 10)
  blob.set(enc, 0)
  blob.set(mac, enc.length)
  return { blob, fileSha256: sha256(file), fileEncSha256: sha256(blob) }
}
