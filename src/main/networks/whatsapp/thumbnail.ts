// The small JPEG preview a WhatsApp media message carries inside itself (`jpegThumbnail`,
// field 16 of the media messages: whatsapp-web.md §7.2, whatsapp-md.md §8.6), kept for the
// picture's place in the chat until the picture itself is downloaded. Both protocols share it.

/** Previews are a few kilobytes (WhatsApp's are about 72 px wide); anything larger is not one. */
export const MAX_THUMBNAIL_BYTES = 16 * 1024

/** The preview as base64 for `MediaInfo.thumbnail`, or undefined when absent, too large or not a JPEG. */
export function thumbnailOf(bytes: Uint8Array | undefined | null): string | undefined {
  if (!bytes || bytes.length < 4 || bytes.length > MAX_THUMBNAIL_BYTES) return undefined
  // A JPEG starts with SOI and a marker (FF D8 FF); the page is only ever handed JPEG data.
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8 || bytes[2] !== 0xff) return undefined
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64')
}
