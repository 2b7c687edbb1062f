// The `<URIObject>` body of a Skype photo or file message (spec §6.5, §11.3 name the message
// types, not the body): read for an incoming `RichText/UriObject` / `RichText/Media_GenericFile`
// and written for our own. The shape is the one public clients read and write: SkPy
// (`skpy/msg.py` SkypeFileMsg/SkypeImgMsg read `uri`, `url_thumbnail`, `<OriginalName v>`,
// `<FileSize v>`; `skpy/chat.py` sendFile writes both kinds) and skype4pidgin
// (`skypeweb_contacts.c`, `got_file_send_progress` writes the File.1 object). Skype's own web
// client adds `doc_id`, `width` and `height` to a photo (as the captured body quoted in
// test/unit/main/networks/skype/media-uriobject.test.ts shows).
//
// The reader is deliberately tolerant (SkPy reads these with an HTML parser, not an XML one)
// but bounded: the body, each attribute and each name have caps, and only an object under the
// configured AMS base (same origin, `/v1/objects/<id>`) yields an id Junction will fetch.

import { ProtocolError } from '../../../shared/errors'
import { richTextToPlain } from './msnp/messaging'
import { escapeXml } from './xml'

export type UriObjectKind = 'image' | 'file'

export interface UriObjectInfo {
  kind: UriObjectKind
  /** The AMS object id, only when `uri` is under the configured AMS base; absent: not downloadable. */
  objectId?: string
  name?: string
  /** Bytes, as the sender declared it (display only; downloads are capped on their own). */
  size?: number
  width?: number
  height?: number
}

/** A URIObject body is a few hundred bytes; anything near this is not one. */
const MAX_BODY_CHARS = 64 * 1024
const MAX_NAME_CHARS = 255
/** A declared size above this (1 TiB) is not believed: the message shows no size. */
const MAX_DECLARED_SIZE = 2 ** 40
const MAX_DIMENSION = 65_535
/** AMS ids as captured: `0-weu-d3-<hex>`, `0-cus-d1-<hex>` (skype4pidgin's comments, SkPy's tests). */
const OBJECT_ID = /^0-[A-Za-z0-9-]{1,128}$/

/** spec §6.5: which message types carry a URIObject Junction reads, and as what. */
export function uriObjectKindOf(messageType: string): UriObjectKind | undefined {
  const type = messageType.toLowerCase()
  if (type === 'richtext/uriobject') return 'image'
  if (type === 'richtext/media_genericfile') return 'file'
  return undefined
}

/**
 * Reads a photo or file body. Throws ProtocolError when it is not a URIObject of that kind
 * (broken markup, a `Video.1` in a UriObject message); the caller keeps its placeholder then.
 */
export function readUriObject(kind: UriObjectKind, body: string, amsUrl: string): UriObjectInfo {
  if (body.length > MAX_BODY_CHARS) throw new ProtocolError('A Skype media message was larger than allowed.')
  const open = /<URIObject\b([^<>]{0,4000})>/i.exec(body)
  if (!open || !/<\/URIObject\s*>/i.test(body.slice(open.index))) throw new ProtocolError('A Skype media message had no readable URIObject.')
  const attrs = attributes(open[1]!)
  const type = (attrs.get('type') ?? '').toLowerCase()
  // SkPy writes Picture.1 for photos and File.1 for files; Skype's web client the same.
  if (kind === 'image' ? !type.startsWith('picture.') : !type.startsWith('file.'))
    throw new ProtocolError('A Skype media message named another kind of object.')
  const inner = body.slice(open.index + open[0].length)
  const info: UriObjectInfo = { kind }
  const uri = attrs.get('uri')
  const objectId = uri === undefined ? undefined : objectIdOf(uri, amsUrl)
  if (objectId) info.objectId = objectId
  const name = cleanName(childAttr(inner, 'OriginalName', 'v') ?? metaOriginalName(inner) ?? titleOf(inner))
  if (name) info.name = name
  const size = boundedInteger(childAttr(inner, 'FileSize', 'v'), MAX_DECLARED_SIZE)
  if (size !== undefined) info.size = size
  // Skype's web client writes fractional dimensions ("1536.8462809917355"); rounded here.
  const width = boundedInteger(attrs.get('width'), MAX_DIMENSION, true)
  const height = boundedInteger(attrs.get('height'), MAX_DIMENSION, true)
  if (kind === 'image' && width && height) {
    info.width = width
    info.height = height
  }
  return info
}

/**
 * The AMS object id of a `uri`, or undefined unless it is `<ams base>/v1/objects/<id>` on the
 * base's origin (optionally with `/views/<view>` or a trailing slash): an incoming message
 * never makes Junction ask any other host (SSRF).
 */
export function objectIdOf(uri: string, amsUrl: string): string | undefined {
  let url: URL
  let base: URL
  try {
    url = new URL(uri)
    base = new URL(amsUrl)
  } catch {
    return undefined
  }
  if (url.origin !== base.origin || url.username || url.password || url.search || url.hash) return undefined
  const prefix = `${base.pathname.replace(/\/?$/, '/')}v1/objects/`
  if (!url.pathname.startsWith(prefix)) return undefined
  const rest = url.pathname.slice(prefix.length).split('/')
  const id = rest[0] ?? ''
  const tail = rest.slice(1)
  const tailOk = tail.length === 0 || (tail.length === 1 && tail[0] === '') || (tail.length === 2 && tail[0] === 'views' && /^[a-z0-9_]{1,32}$/.test(tail[1]!))
  return tailOk && OBJECT_ID.test(id) ? id : undefined
}

export function isObjectId(id: string): boolean {
  return OBJECT_ID.test(id)
}

export interface UriObjectDraft {
  /** `<ams base>/v1/objects/<id>`. */
  objectUrl: string
  objectId: string
  name: string
  size: number
  width?: number
  height?: number
}

/**
 * A photo's body as SkPy's sendFile writes it (Picture.1, `url_thumbnail` the `imgt1` view, a
 * link, `<OriginalName>`, `<meta type="photo">`), with `<FileSize>` and the dimensions as
 * Skype's web client adds them.
 */
export function pictureBody(d: UriObjectDraft): string {
  const u = escapeXml(d.objectUrl)
  const name = escapeXml(d.name)
  const dims = d.width && d.height ? ` width="${Math.round(d.width)}" height="${Math.round(d.height)}"` : ''
  const link = escapeXml(`${d.objectUrl.replace(/v1\/objects\/[^/]+$/, '')}s/i?${d.objectId}`)
  return (
    `<URIObject type="Picture.1" uri="${u}" url_thumbnail="${u}/views/imgt1" doc_id="${escapeXml(d.objectId)}"${dims}>` +
    `To view this shared photo, go to: <a href="${link}">${link}</a>` +
    `<OriginalName v="${name}"/><FileSize v="${d.size}"/><meta type="photo" originalName="${name}"/></URIObject>`
  )
}

/** A file's body as skype4pidgin writes it (File.1, `/views/thumbnail`, Title, Description, the web-client link, OriginalName, FileSize). */
export function fileBody(d: UriObjectDraft): string {
  const u = escapeXml(d.objectUrl)
  const name = escapeXml(d.name)
  const link = escapeXml(`https://login.skype.com/login/sso?go=webclient.xmm&docid=${d.objectId}`)
  return (
    `<URIObject type="File.1" uri="${u}" url_thumbnail="${u}/views/thumbnail">` +
    `<Title>Title: ${name}</Title><Description>Description: ${name}</Description><a href="${link}">${link}</a>` +
    `<OriginalName v="${name}"/><FileSize v="${d.size}"/></URIObject>`
  )
}

function attributes(source: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const m of source.matchAll(/([A-Za-z_][\w.:-]{0,40})\s*=\s*(?:"([^"]{0,2048})"|'([^']{0,2048})')/g)) {
    const name = m[1]!.toLowerCase()
    if (!out.has(name)) out.set(name, richTextToPlain(m[2] ?? m[3] ?? ''))
  }
  return out
}

/** An attribute of the first `<tag …>` in the object's content. */
function childAttr(inner: string, tag: string, name: string): string | undefined {
  const m = new RegExp(`<${tag}\\b([^<>]{0,2500})>`, 'i').exec(inner)
  return m ? attributes(m[1]!).get(name.toLowerCase()) : undefined
}

function metaOriginalName(inner: string): string | undefined {
  const m = /<meta\b([^<>]{0,2500})>/i.exec(inner)
  return m ? attributes(m[1]!).get('originalname') : undefined
}

/** `<Title>Title: name</Title>` as SkPy writes it, or the bare name as skype4pidgin does. */
function titleOf(inner: string): string | undefined {
  const m = /<Title>([^<]{1,600})<\/Title>/i.exec(inner)
  return m ? richTextToPlain(m[1]!).replace(/^\s*Title:\s*/i, '') : undefined
}

/** A display name: no control characters, no path, bounded (Core makes it safe for disk again). */
function cleanName(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined
  const name = [...raw]
    .filter((c) => c >= ' ' && c !== '\u007f')
    .join('')
    .trim()
  const bounded = [...name].slice(0, MAX_NAME_CHARS).join('')
  const leaf = bounded.split(/[\\/]/).pop()?.trim() ?? ''
  return leaf === '' ? undefined : leaf
}

function boundedInteger(raw: string | undefined, max: number, round = false): number | undefined {
  if (raw === undefined) return undefined
  const text = raw.trim()
  if (!(round ? /^\d{1,15}(\.\d{1,20})?$/ : /^\d{1,15}$/).test(text)) return undefined
  const n = round ? Math.round(Number(text)) : Number(text)
  return Number.isSafeInteger(n) && n >= 0 && n <= max ? n : undefined
}

/** The URIObject names no type: a usual one for the name's extension, for display and the download's fallback. */
const TYPE_OF_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  txt: 'text/plain',
  zip: 'application/zip',
  '7z': 'application/x-7z-compressed',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4'
}

export function mimeOfName(name: string | undefined, kind: UriObjectKind): string {
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(name ?? '')?.[1]?.toLowerCase()
  const mime = ext ? TYPE_OF_EXTENSION[ext] : undefined
  if (kind === 'image') return mime?.startsWith('image/') ? mime : 'image/jpeg'
  return mime ?? 'application/octet-stream'
}
