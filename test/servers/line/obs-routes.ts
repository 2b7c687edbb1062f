// OBS and the sticker shop of the reference server (spec §10.1, §10.4): plain media under
// sid `m` keyed by message id (uploaded after the send), sealed media under `reqid-…`
// (uploaded before it, the OID returned in `x-obs-oid`), object_info.obs preflights, and
// sticker images.

import { randomBytes } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { PNG } from 'pngjs'
import type { GatewayState, Reply } from './gateway-routes'
import { header } from './http-util'

/** A small sticker: a round face on a transparent background, its colour derived from the id. */
export function stickerPng(id: string): Buffer {
  const size = 64
  const png = new PNG({ width: size, height: size })
  const n = [...id].reduce((a, c) => (a * 31 + c.charCodeAt(0)) >>> 0, 7)
  const colour = [96 + (n & 0x7f), 96 + ((n >> 8) & 0x7f), 96 + ((n >> 16) & 0x7f)]
  const inside = (x: number, y: number, cx: number, cy: number, r: number): boolean => (x - cx) ** 2 + (y - cy) ** 2 <= r * r
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const eye = inside(x, y, 22, 26, 4) || inside(x, y, 42, 26, 4)
      const smile = inside(x, y, 32, 36, 14) && !inside(x, y, 32, 32, 13) && y > 38
      const face = inside(x, y, 32, 32, 30)
      const px = eye || smile ? [40, 40, 40, 255] : face ? [...colour, 255] : [0, 0, 0, 0]
      png.data.set(px, (y * size + x) * 4)
    }
  }
  return PNG.sync.write(png)
}

const bin = (status: number, bytes: Buffer, headers: Record<string, string> = {}): Reply => ({ status, body: bytes, headers })
const text = (status: number, body: string): Reply => ({ status, body, headers: { 'content-type': 'text/plain' } })

const OBS_TYPES = new Set(['image', 'video', 'audio', 'file'])

/** spec §10.1: X-Obs-Params = base64(JSON {ver: "2.0", name, type: image|video|audio|file}); its type, or null when malformed. */
function paramsType(req: IncomingMessage): string | null {
  try {
    const p = JSON.parse(Buffer.from(header(req, 'x-obs-params') ?? '', 'base64').toString('utf8')) as { ver?: unknown; type?: unknown }
    return p.ver === '2.0' && typeof p.type === 'string' && OBS_TYPES.has(p.type) ? p.type : null
  } catch {
    return null
  }
}

/** The OBS type a plain upload must declare for its message (spec §10.1 step 1: contentType 1/2/3/14). */
const TYPE_OF_CONTENT: Record<number, string> = { 1: 'image', 2: 'video', 3: 'audio', 14: 'file' }
/** The sealed flow's sids (spec §10.1 step 2): `emi` image, `emv` video, `ema` audio, `emf` file; all upload as type "file". */
const SEALED_SIDS = new Set(['emi', 'emv', 'ema', 'emf'])

export function obsRoute(g: GatewayState, req: IncomingMessage, path: string, body: Buffer): Reply {
  const sticker = /^\/stickershop\/v1\/sticker\/(\d+)\/android\/sticker(_animation)?\.png$/.exec(path)
  if (sticker && req.method === 'GET') return bin(200, stickerPng(sticker[1]!), { 'content-type': 'image/png' })

  const owner = g.world.obsTokens.get(header(req, 'x-line-access') ?? '')
  if (!owner) return text(401, 'unauthorized')
  if (!header(req, 'x-line-application')) return text(400, 'X-Line-Application is required')

  const info = /^\/r\/talk\/([a-z]+)\/([\w-]+)\/object_info\.obs$/.exec(path)
  if (info && req.method === 'GET') {
    const exists = g.world.objects.has(`${info[1]}/${info[2]}`)
    return {
      status: 200,
      body: JSON.stringify({ status: exists ? 'exist' : 'notexist', encodeStatus: 'complete' }),
      headers: { 'content-type': 'application/json' }
    }
  }
  const object = /^\/r\/talk\/([a-z]+)\/([\w-]+)$/.exec(path)
  if (!object) return text(404, 'not found')
  const [, sid, oid] = object as unknown as [string, string, string]
  if (req.method === 'GET') {
    const found = g.world.objects.get(`${sid}/${oid}`)
    return found ? bin(200, found.bytes, { 'content-type': 'application/octet-stream' }) : text(404, 'not found')
  }
  const type = paramsType(req)
  if (req.method !== 'POST' || type === null || body.length === 0) return text(400, 'bad upload')
  if (sid === 'm') {
    // Plain media: the message must exist and be the uploader's own (spec §10.1 "send first, upload after").
    const message = g.world.messages.find((m) => m.id === oid)
    if (!message || message.from !== owner) return text(403, 'not your message')
    if (TYPE_OF_CONTENT[message.contentType] !== type) return text(400, 'upload type does not match the message')
    if (message.contentMetadata.FILE_SIZE !== undefined && message.contentMetadata.FILE_SIZE !== String(body.length))
      return text(400, 'size does not match FILE_SIZE')
    g.world.objects.set(`m/${oid}`, { bytes: body, owner })
    return text(201, 'created')
  }
  if (!oid.startsWith('reqid-') || !SEALED_SIDS.has(sid) || type !== 'file') return text(400, 'bad object id')
  const newOid = randomBytes(16).toString('hex')
  g.world.objects.set(`${sid}/${newOid}`, { bytes: body, owner })
  return { status: 201, body: '', headers: { 'x-obs-oid': newOid, 'x-obs-hash': randomBytes(8).toString('hex') } }
}
