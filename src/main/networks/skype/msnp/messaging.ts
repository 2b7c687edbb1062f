// SDG payloads: the Messaging block written in the header order of the spec's examples
// (E1, E2, E4–E6, E14, E15), and incoming SDG/NFY payloads read into plain fields.

import type { HeaderList } from './mime'
import { formatMultiMime, utf8Length } from './mime'

export const TEXT_CONTENT_TYPE = 'Text/plain; charset=UTF-8'
/** spec §6.4: Skype's typing signals use this content type (E6); WLM used text/plain (E2). */
export const SKYPE_SIGNAL_CONTENT_TYPE = 'Application/Message'
export const WLM_FORMAT = 'FN=Segoe%20UI; EF=; CO=0; CS=1; PF=0'

export interface OutgoingMessaging {
  /** MSNP24's top block (`Registration: …`); omitted in MSNP21. */
  top?: HeaderList | null
  to: string
  /** Our own address with `;epid={…}`. */
  from: string
  serviceChannel?: string
  reliability?: HeaderList
  clientMessageId?: string
  editedId?: string
  messageType: string
  displayName?: string
  /** spec §6.6: characters of the body that are the actor's name (and its space). */
  emoteOffset?: number
  contentType: string
  body: string
  /** X-MMS-IM-Format (WLM's font line, E1). */
  format?: string
}

export function messagingPayload(m: OutgoingMessaging): Uint8Array {
  const routing: HeaderList = [
    ['Routing', '1.0'],
    ['To', m.to],
    ['From', m.from]
  ]
  if (m.serviceChannel) routing.push(['Service-Channel', m.serviceChannel])
  const content: HeaderList = [['Messaging', '2.0']]
  if (m.clientMessageId !== undefined) content.push(['Client-Message-ID', m.clientMessageId])
  if (m.editedId !== undefined) content.push(['Skype-EditedId', m.editedId])
  content.push(['Message-Type', m.messageType])
  if (m.displayName !== undefined) content.push(['IM-Display-Name', m.displayName])
  if (m.emoteOffset !== undefined) content.push(['Skype-EmoteOffset', String(m.emoteOffset)])
  content.push(['Content-Type', m.contentType], ['Content-Length', String(utf8Length(m.body))])
  if (m.format !== undefined) content.push(['X-MMS-IM-Format', m.format])
  return formatMultiMime({ top: m.top ?? null, routing, reliability: [['Reliability', '1.0'], ...(m.reliability ?? [])], content, body: m.body })
}

export interface OutgoingPublication {
  top?: HeaderList | null
  to: string
  from: string
  reliability?: HeaderList
  uri: string
  contentType: string
  body: string
}

/** spec §6.1: a Publication (own presence, E9 / P1; endpoint sign-out, E12). */
export function publicationPayload(p: OutgoingPublication): Uint8Array {
  return formatMultiMime({
    top: p.top ?? null,
    routing: [
      ['Routing', '1.0'],
      ['To', p.to],
      ['From', p.from]
    ],
    reliability: [['Reliability', '1.0'], ...(p.reliability ?? [])],
    content: [
      ['Publication', '1.0'],
      ['Uri', p.uri],
      ['Content-Type', p.contentType],
      ['Content-Length', String(utf8Length(p.body))]
    ],
    body: p.body
  })
}

/** An address without its `;epid=…`/`;path=…` parameters, as chats and contacts are keyed. */
export function bareAddress(address: string): string {
  const semi = address.indexOf(';')
  return (semi < 0 ? address : address.slice(0, semi)).trim()
}

export function addressParam(address: string, name: string): string | undefined {
  for (const part of address.split(';').slice(1)) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim().toLowerCase() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}

/** spec §1.1: `19:` threads, `10:` temporary groups and `9:` circles are group conversations. */
export function isGroupAddress(address: string): boolean {
  return /^(?:19|10|9):/.test(address)
}

/**
 * spec §6.6: render `name + text.slice(offset)`, trimming one leading space, so that
 * `len(name)+1` (SkPy), `len(name)` (gallus) and `/me text` with offset 4 (skypeweb) all read
 * right. Returns the action without the actor's name; an unusable offset falls back to the
 * display name, then to the whole body.
 */
export function emoteText(body: string, offsetHeader: string | undefined, displayName: string | undefined): string {
  const trimOne = (s: string): string => (s.startsWith(' ') ? s.slice(1) : s)
  const offset = offsetHeader !== undefined && /^\s*\d{1,6}\s*$/.test(offsetHeader) ? Number(offsetHeader) : NaN
  if (Number.isInteger(offset) && offset >= 0 && offset <= body.length) return trimOne(body.slice(offset))
  if (displayName && body.startsWith(displayName)) return trimOne(body.slice(displayName.length))
  return body
}

/** spec §6.5: Miranda strips RichText tags and decodes entities; so do we. */
export function richTextToPlain(body: string): string {
  const stripped = body.replace(/<ss\b[^>]*>(.*?)<\/ss>/gis, '$1').replace(/<[^>]{0,2000}>/g, '')
  return stripped.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|amp|lt|gt|quot|apos);/gi, (whole, e: string) => {
    const lower = e.toLowerCase()
    if (lower.startsWith('#x')) return safeCodePoint(parseInt(lower.slice(2), 16)) ?? whole
    if (lower.startsWith('#')) return safeCodePoint(parseInt(lower.slice(1), 10)) ?? whole
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[lower] ?? whole
  })
}

function safeCodePoint(n: number): string | undefined {
  return Number.isInteger(n) && n > 0 && n <= 0x10ffff && (n < 0xd800 || n > 0xdfff) ? String.fromCodePoint(n) : undefined
}
