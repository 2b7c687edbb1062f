// Turning a picked, pasted or dropped file into a draft (issue 12 §2). The checks repeat
// Core's (core/attachments.ts) against the same capabilities so the person hears at once,
// in the network's name, why a file cannot go; Core checks again, the page is not trusted.

import type { NetworkCapabilities } from '../../shared/api'
import type { Reason } from '../../shared/errors'
import type { ComposedDraft } from '../../shared/model'

/** The picture types every network that sends photos takes (the bridge schema's list). */
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp']
/** The bridge's own cap on one upload (LIMITS.imageBase64 / fileBase64 in main). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024

export function canAttach(caps: NetworkCapabilities | undefined): boolean {
  return Boolean(caps?.sendImages || caps?.sendFiles)
}

/** The `accept` of the file input: photos, files of the accepted types, or anything. */
export function acceptAttribute(caps: NetworkCapabilities | undefined): string | undefined {
  if (caps?.sendFiles) return caps.acceptedTypes?.join(',')
  return IMAGE_TYPES.join(',')
}

function mimeAccepted(mime: string, accepted: readonly string[] | undefined): boolean {
  if (!accepted || accepted.length === 0) return true
  const m = mime.toLowerCase()
  return accepted.some((a) => (a.endsWith('/*') ? m.startsWith(a.slice(0, -1).toLowerCase()) : m === a.toLowerCase()))
}

/** Why the network cannot take this file (worded by strings.reasons.refused), or null when it can. */
export function refusalFor(file: { name: string; type: string; size: number }, caps: NetworkCapabilities | undefined): Reason | null {
  const photo = IMAGE_TYPES.includes(file.type) && Boolean(caps?.sendImages)
  if (!photo && !caps?.sendFiles) {
    if (file.type.startsWith('image/') && caps?.sendImages) return { code: 'refused', params: { what: 'attachment-type', type: file.type } }
    return { code: 'refused', params: { what: 'attachment-kind', kind: file.type.startsWith('image/') ? 'image' : 'file' } }
  }
  const limit = Math.min(caps?.maxUploadBytes ?? MAX_UPLOAD_BYTES, MAX_UPLOAD_BYTES)
  if (file.size > limit) return { code: 'refused', params: { what: 'attachment-size', limit: String(limit) } }
  if (file.size === 0) return { code: 'refused', params: { what: 'attachment-damaged' } }
  if (!photo && !mimeAccepted(file.type || 'application/octet-stream', caps?.acceptedTypes))
    return { code: 'refused', params: { what: 'attachment-type', type: file.type } }
  return null
}

function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

/** A name the bridge schema takes: no control characters or separators, at most 255 characters. */
export function draftName(name: string): string {
  const clean = [...name]
    .map((c) => (c < ' ' || c === '\u007f' || c === '/' || c === '\\' ? '_' : c))
    .join('')
    .trim()
    .slice(0, 255)
  return clean === '' ? 'file' : clean
}

/** The longest side of the preview drawn for a photo (WhatsApp's own are about this size). */
const PREVIEW_SIDE = 72

/**
 * The photo's size and a small JPEG preview of it, drawn here (main has no image codec): networks that
 * carry one show it before the photo is downloaded (WhatsApp §8.6). Best effort: none where the page
 * cannot decode the picture.
 */
async function previewOf(file: File): Promise<{ thumbnailBase64?: string; width?: number; height?: number }> {
  try {
    const bitmap = await createImageBitmap(file)
    const { width, height } = bitmap
    const scale = Math.min(1, PREVIEW_SIDE / Math.max(width, height))
    const canvas = document.createElement('canvas')
    canvas.width = Math.max(1, Math.round(width * scale))
    canvas.height = Math.max(1, Math.round(height * scale))
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height)
    bitmap.close()
    const jpeg = canvas.toDataURL('image/jpeg', 0.6).split(',')[1] ?? ''
    return { width, height, ...(jpeg.startsWith('/9j/') && jpeg.length <= 21_000 ? { thumbnailBase64: jpeg } : {}) }
  } catch {
    return {}
  }
}

/** A photo draft where the network sends photos of this type, else a file draft; the caller checked refusalFor first. */
export async function draftFor(file: File, caps: NetworkCapabilities | undefined, caption?: string): Promise<ComposedDraft> {
  const bytes = new Uint8Array(await file.arrayBuffer())
  const dataBase64 = toBase64(bytes)
  if (IMAGE_TYPES.includes(file.type) && caps?.sendImages)
    return {
      kind: 'image',
      mime: file.type,
      dataBase64,
      ...(caption ? { caption } : {}),
      ...(file.name ? { name: draftName(file.name) } : {}),
      ...(await previewOf(file))
    }
  return { kind: 'file', name: draftName(file.name), mime: file.type || 'application/octet-stream', size: bytes.length, dataBase64 }
}
