// Offline messages (msnp18.md §5.9): the NS lists stored OIMs in `Mail-Data` (at the
// first CHG, and one by one while online); RSI GetMessage fetches each as a mail, and
// DeleteMessages removes them once shown, or they come back at every login. A text to a
// contact who is offline goes to OIM Store2, with the lockkey computed from the server's
// LockKeyChallenge (QRY algorithm, base spec §4.5) on the first AuthenticationFailed.

import { JunctionError } from '../../../../shared/errors'
import type { Logger } from '../../../base/log'
import { decodeText, readHeaderBlock } from '../msnp/mime'
import type { InboundMessaging } from '../msnp/read'
import { challengeResponse, MSNP21_PRODUCT, randomGuid } from '../crypto'
import { httpRequest, statusError } from '../http'
import { escapeXml, parseXml, text } from '../xml'

const RSI_NS = 'http://www.hotmail.msn.com/ws/2004/09/oim/rsi'
const OIM_NS = 'http://messenger.msn.com/ws/2004/09/oim/'
const SERVICE = 'the Messenger offline-message service'
const MAX_LISTED = 25

export interface ListedOim {
  id: string
  from: string
}

/** §5.9: the `<M>` entries of a Mail-Data document; `too-large` when the server would not list them. */
export function readMailData(payloadText: string): ListedOim[] | 'too-large' {
  const m = /Mail-Data:\s*(.*)/.exec(payloadText)
  const md = m?.[1]?.trim() ?? ''
  if (md === 'too-large') return 'too-large'
  if (!md.startsWith('<MD>')) return []
  const out: ListedOim[] = []
  for (const entry of md.matchAll(/<M>([\s\S]*?)<\/M>/g)) {
    const id = /<I>([0-9A-Fa-f{}-]{1,64})<\/I>/.exec(entry[1]!)?.[1]
    const from = /<E>([^<\s@]{1,128}@[^<\s]{1,253})<\/E>/.exec(entry[1]!)?.[1]
    if (id && from) out.push({ id, from: from.toLowerCase() })
    if (out.length >= MAX_LISTED) break
  }
  return out
}

/** RFC 2047 `=?utf-8?B?…?=` (Escargot may put a space before `?=`, §5.9). */
export function decodeWord(s: string): string {
  return s.replace(/=\?utf-8\?([BQ])\?([^?]*?)\s*\?=/gi, (whole, enc: string, data: string) => {
    if (enc.toUpperCase() === 'B') return Buffer.from(data.trim(), 'base64').toString('utf8')
    return data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
  })
}

export interface OfflineMessage {
  id: string
  from: string
  name?: string
  at?: number
  text: string
}

/** §5.9: the mail RSI returns — headers, an empty line (CRLF or LF), the base64 text. */
export function readOimMail(id: string, mail: string): OfflineMessage {
  const split = /\r?\n\r?\n/.exec(mail)
  if (!split) throw new JunctionError('protocol', 'An offline message had no body.')
  const head = mail.slice(0, split.index)
  const body = mail.slice(split.index + split[0].length).replace(/\s+/g, '')
  const header = (name: string): string | undefined => new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(head)?.[1]?.trim()
  const fromLine = header('From') ?? ''
  const from = /<([^<>\s@]{1,128}@[^<>\s]{1,253})>/.exec(fromLine)?.[1] ?? /([^<>\s@]{1,128}@[^<>\s]{1,253})/.exec(fromLine)?.[1]
  if (!from) throw new JunctionError('protocol', 'An offline message had no sender.')
  const out: OfflineMessage = { id, from: from.toLowerCase(), text: Buffer.from(body, 'base64').toString('utf8') }
  const name = decodeWord(fromLine.replace(/<[^>]*>/, '').trim())
  if (name) out.name = name.slice(0, 256)
  const arrival = /^(.*?\d{2}:\d{2}:\d{2})(?:\.\d+)?\s*\(UTC\)/.exec(header('X-OriginalArrivalTime') ?? '')
  const at = arrival ? Date.parse(`${arrival[1]} UTC`) : Date.parse(header('Date') ?? '')
  if (Number.isFinite(at)) out.at = at
  return out
}

function cookieOf(ticket: string): string {
  // §5.9: MSNPSharp splits the ticket at `t=` and `&p=`.
  const m = /^t=(.*?)&p=(.*)$/.exec(ticket)
  return m ? `<t>${escapeXml(m[1]!)}</t><p>${escapeXml(m[2]!)}</p>` : `<t>${escapeXml(ticket)}</t><p></p>`
}

export function rsiEnvelope(ticket: string, body: string): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">' +
    `<soap:Header><PassportCookie xmlns="${RSI_NS}">${cookieOf(ticket)}</PassportCookie></soap:Header><soap:Body>${body}</soap:Body></soap:Envelope>`
  )
}

export interface Store2Input {
  from: string
  friendly: string
  to: string
  ticket: string
  lockkey: string
  runId: string
  sequence: number
  text: string
}

/** §5.9: base64 lines of at most 76 characters. */
function base64Lines(text: string): string {
  return (
    Buffer.from(text, 'utf8')
      .toString('base64')
      .match(/.{1,76}/g) ?? ['']
  ).join('\r\n')
}

/** §5.9: the Store2 request as MSNPSharp 3.1 sends it (msnpVer MSNP18). */
export function store2Request(s: Store2Input): string {
  const name = `=?utf-8?B?${Buffer.from(s.friendly.slice(0, 48), 'utf8').toString('base64')}?=`
  const content =
    'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\nX-OIM-Message-Type: OfflineMessage\r\n' +
    `X-OIM-Run-Id: {${s.runId.toUpperCase()}}\r\nX-OIM-Sequence-Num: ${s.sequence}\r\n\r\n${base64Lines(s.text)}`
  return (
    '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header>' +
    `<From memberName="${escapeXml(s.from)}" friendlyName="${name}" xml:lang="en-US" proxy="MSNMSGR" xmlns="${OIM_NS}" msnpVer="MSNP18" buildVer="14.0.8117.0416"/>` +
    `<To memberName="${escapeXml(s.to)}" xmlns="${OIM_NS}"/>` +
    `<Ticket passport="${escapeXml(s.ticket)}" appid="${MSNP21_PRODUCT.id}" lockkey="${escapeXml(s.lockkey)}" xmlns="${OIM_NS}"/>` +
    '<Sequence xmlns="http://schemas.xmlsoap.org/ws/2003/03/rm"><Identifier xmlns="http://schemas.xmlsoap.org/ws/2002/07/utility">http://messenger.msn.com</Identifier>' +
    `<MessageNumber>${s.sequence}</MessageNumber></Sequence></soap:Header><soap:Body><MessageType xmlns="${OIM_NS}">text</MessageType>` +
    `<Content xmlns="${OIM_NS}">${escapeXml(content)}</Content></soap:Body></soap:Envelope>`
  )
}

export interface OfflineOptions {
  /** The HTTP services root (§8); `/rsi/rsi.asmx` and `/OimWS/oim.asmx` are under it. */
  baseUrl: string
  account: string
  friendly(): string
  /** messenger.msn.com (RSI) and messengersecure.live.com (Store2) tickets (§5.9). */
  webTicket(): Promise<string>
  secureTicket(): Promise<string>
  timeoutMs: number
  log: Logger
}

export class OfflineMessages {
  private lockkey = ''
  private readonly runId = randomGuid()
  private sequence = 0

  constructor(private readonly o: OfflineOptions) {}

  private async post(path: string, action: string, body: string): Promise<{ status: number; xml: string }> {
    const base = this.o.baseUrl.endsWith('/') ? this.o.baseUrl : `${this.o.baseUrl}/`
    const res = await httpRequest(
      {
        method: 'POST',
        url: new URL(path, base).toString(),
        headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: action },
        body,
        timeoutMs: this.o.timeoutMs,
        maxBytes: 2 * 1024 * 1024
      },
      SERVICE
    )
    const xml = res.body.toString('utf8')
    if (res.status !== 200 && !(res.status === 500 && xml.includes('Envelope'))) throw statusError(res.status, SERVICE)
    return { status: res.status, xml }
  }

  /** RSI GetMessage for one listed OIM. */
  async fetch(id: string): Promise<OfflineMessage> {
    const body = `<GetMessage xmlns="${RSI_NS}"><messageId>${escapeXml(id)}</messageId><alsoMarkAsRead>false</alsoMarkAsRead></GetMessage>`
    const { status, xml } = await this.post(
      'rsi/rsi.asmx',
      'http://www.hotmail.msn.com/ws/2004/09/oim/rsi/GetMessage',
      rsiEnvelope(await this.o.webTicket(), body)
    )
    if (status !== 200) throw new JunctionError('unavailable', 'The offline message could not be fetched.', { detail: 'RSI fault' })
    const mail = text(parseXml(xml, 'offline message'), 'Envelope', 'Body', 'GetMessageResponse', 'GetMessageResult')
    if (!mail) throw new JunctionError('protocol', 'The offline message reply had no message.')
    return readOimMail(id, mail)
  }

  /** RSI DeleteMessages, once the messages are shown. */
  async delete(ids: string[]): Promise<void> {
    if (ids.length === 0) return
    const body = `<DeleteMessages xmlns="${RSI_NS}"><messageIds>${ids.map((i) => `<messageId>${escapeXml(i)}</messageId>`).join('')}</messageIds></DeleteMessages>`
    const { status } = await this.post(
      'rsi/rsi.asmx',
      'http://www.hotmail.msn.com/ws/2004/09/oim/rsi/DeleteMessages',
      rsiEnvelope(await this.o.webTicket(), body)
    )
    if (status !== 200) throw new JunctionError('unavailable', 'The offline messages could not be deleted.', { detail: 'RSI fault' })
  }

  /** OIM Store2; on AuthenticationFailed the lockkey is computed from the challenge and the store tried once more. */
  async store(to: string, text: string): Promise<void> {
    this.sequence++
    for (let attempt = 0; attempt < 2; attempt++) {
      const request = store2Request({
        from: this.o.account,
        friendly: this.o.friendly(),
        to,
        ticket: await this.o.secureTicket(),
        lockkey: this.lockkey,
        runId: this.runId,
        sequence: this.sequence,
        text
      })
      const { status, xml } = await this.post('OimWS/oim.asmx', 'http://messenger.live.com/ws/2006/09/oim/Store2', request)
      if (status === 200) return
      const challenge = /<LockKeyChallenge[^>]*>\s*(\d{1,40})\s*</.exec(xml)?.[1]
      if (attempt === 0 && /AuthenticationFailed/.test(xml) && challenge) {
        this.lockkey = challengeResponse(challenge, MSNP21_PRODUCT)
        continue
      }
      const code = /(SystemUnavailable|InvalidContent|AuthenticationFailed|SenderThrottleLimitExceeded)/.exec(xml)?.[1] ?? 'fault'
      throw new JunctionError('rejected', 'Messenger did not take the offline message.', {
        detail: `OIM ${code}`,
        reason: { code: 'refused', params: { detail: 'offline message refused' } }
      })
    }
  }
}

/** §5.9: fetch, show, then delete — so they do not come back at the next sign-in. */
export async function showOfflineMessages(
  offline: OfflineMessages,
  ids: string[],
  o: { self: string; log: Logger; live(): boolean; emit(m: InboundMessaging): void }
): Promise<void> {
  const shown: string[] = []
  for (const id of ids) {
    try {
      const m = await offline.fetch(id)
      if (!o.live()) return
      o.emit({
        from: `1:${m.from}`,
        to: o.self,
        messageType: 'Text',
        contentType: 'text/plain',
        body: m.text,
        // A stable id: fetched again (not deleted in time), it lands on the same row.
        messageId: `oim:${m.id}`,
        ...(m.name ? { displayName: m.name } : {}),
        ...(m.at !== undefined ? { arrival: m.at } : {})
      })
      shown.push(id)
    } catch (error) {
      o.log.warn({ error }, 'offline message could not be fetched')
    }
  }
  try {
    await offline.delete(shown)
  } catch (error) {
    o.log.warn({ error }, 'offline messages could not be deleted')
  }
}

/**
 * §2.9 / §5.9: an NS `MSG Hotmail Hotmail` — initial mail data or an OIM notice — lists the
 * offline messages waiting; each is fetched once (`fetching` remembers which already are).
 */
export function onHotmailMessage(
  payload: Uint8Array,
  offline: OfflineMessages | undefined,
  fetching: Set<string>,
  o: { self: string; log: Logger; live(): boolean; emit(m: InboundMessaging): void }
): void {
  const type = (readHeaderBlock(payload, 0).headers.get('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (type !== 'text/x-msmsgsinitialmdatanotification' && type !== 'text/x-msmsgsoimnotification') return
  const listed = readMailData(decodeText(payload))
  if (listed === 'too-large') return o.log.warn({}, 'more offline messages than Mail-Data lists; GetMetadata is not used')
  if (listed.length === 0 || !offline) return
  const fresh = listed.map((l) => l.id).filter((id) => !fetching.has(id))
  for (const id of fresh) fetching.add(id)
  void showOfflineMessages(offline, fresh, o)
}
