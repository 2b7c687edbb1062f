// Offline messages on the reference server (msnp18.md §5.9): OIM Store2 with the lockkey
// challenge (an empty lockkey gets AuthenticationFailed with LockKeyChallenge; a switch
// requires the correct one), RSI GetMessage / DeleteMessages and a working GetMetadata,
// and the NS notices: a live `text/x-msmsgsoimnotification` and, after deleting, the
// `text/x-msmsgsactivemailnotification` with Message-Delta.

import type { ServerResponse } from 'node:http'
import { challengeResponse } from '../../../../src/main/networks/skype/crypto'
import type { Presence18 } from './presence'
import { payloadBytes } from './wire'
import type { Oim, World18 } from './world'

/** §5.9: Escargot's constant challenge. */
export const LOCKKEY_CHALLENGE = '1850937852'
const PRODUCT = { id: 'PROD0120PW!CCV9@', key: 'C1BX{V4W}Q3*10SM' }

export interface OimContext {
  world: World18
  presence: Presence18
  now(): number
  requireLockkey: boolean
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/xml; charset=utf-8', 'Content-Length': Buffer.byteLength(body) })
  res.end(body)
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function unesc(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
}

function attr(xml: string, element: string, name: string): string | undefined {
  const el = new RegExp(`<(?:\\w+:)?${element}\\s[^>]*>`).exec(xml)?.[0]
  const v = el ? new RegExp(`\\s${name}="([^"]*)"`).exec(el)?.[1] : undefined
  return v === undefined ? undefined : unesc(v)
}

function fault(code: string, detail = ''): string {
  return `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode xmlns:q0="http://messenger.msn.com/ws/2004/09/oim/">q0:${code}</faultcode><faultstring>${code}</faultstring><detail>${detail}</detail></soap:Fault></soap:Body></soap:Envelope>`
}

function mailOf(o: Oim): string {
  const name = `=?utf-8?B?${Buffer.from(o.fromName).toString('base64')}?=`
  const d = new Date(o.at)
  const arrival = `${d.toUTCString().slice(5, 25)}.0000 (UTC) FILETIME=[00000000:00000000]`
  return (
    `X-Message-Info: cwRBnLifKNE8dVZlNj6AiX8142B67OTjG9BFMLMyzuui1H4Xx7m3NQ==\r\nFrom: ${name} <${o.from}>\r\nTo: ${o.to}\r\nSubject: \r\nX-OIM-originatingSource: 127.0.0.1\r\n` +
    `X-OIMProxy: MSNMSGR\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\nX-OIM-Message-Type: OfflineMessage\r\n` +
    `Message-ID: <${o.id}@junction.invalid>\r\nX-OriginalArrivalTime: ${arrival}\r\nDate: ${d.toUTCString()}\r\nReturn-Path: ndr@oim.messenger.msn.com\r\n\r\n${Buffer.from(o.text, 'utf8').toString('base64')}`
  )
}

/** §5.9: an OIM for someone online is announced at once. */
export function announceOim(ctx: OimContext, o: Oim): void {
  const md = `<MD><M><T>11</T><S>6</S><RT>${new Date(o.at).toISOString().replace(/\.\d{3}Z$/, 'Z')}</RT><RS>0</RS><SZ>900</SZ><E>${o.from}</E><I>${o.id}</I><F>.!!OIM</F><N>=?utf-8?B?${Buffer.from(o.fromName).toString('base64')} ?=</N></M><SU> </SU></MD>`
  const payload = `MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsoimnotification; charset=UTF-8\r\n\r\nMail-Data: ${md}\r\n`
  for (const e of ctx.presence.real(o.to)) if (e.status !== null) e.send(payloadBytes(['MSG', 'Hotmail', 'Hotmail'], payload))
}

export function handleStore2(ctx: OimContext, body: string, res: ServerResponse): void {
  const from = ctx.world.get(attr(body, 'From', 'memberName') ?? '')
  const to = ctx.world.get(attr(body, 'To', 'memberName') ?? '')
  const ticket = ctx.world.ticketOf(attr(body, 'Ticket', 'passport') ?? '', ctx.now())
  const lockkey = attr(body, 'Ticket', 'lockkey') ?? ''
  if (!from || !ticket || ticket.email !== from.email || ctx.presence.real(from.email).length === 0) return send(res, 500, fault('AuthenticationFailed'))
  const expected = challengeResponse(LOCKKEY_CHALLENGE, PRODUCT)
  if (lockkey === '' || (ctx.requireLockkey && lockkey !== expected)) {
    return send(
      res,
      500,
      fault(
        'AuthenticationFailed',
        `<TweenerChallenge xmlns="http://messenger.msn.com/ws/2004/09/oim/">ct=1,rver=1,wp=FS_40SEC_0_COMPACT,lc=1,id=1</TweenerChallenge><LockKeyChallenge xmlns="http://messenger.msn.com/ws/2004/09/oim/">${LOCKKEY_CHALLENGE}</LockKeyChallenge>`
      )
    )
  }
  if (!to || !ctx.world.allows(to.email, from.email)) return send(res, 500, fault('SystemUnavailable'))
  const content = unesc(/<(?:\w+:)?Content[^>]*>([\s\S]*?)<\/(?:\w+:)?Content>/.exec(body)?.[1] ?? '')
  const split = /\r?\n\r?\n/.exec(content)
  const lines = split ? content.slice(split.index + split[0].length).split(/\r?\n/) : []
  if (!split || !/Content-Transfer-Encoding:\s*base64/i.test(content) || lines.some((l) => l.length > 77)) return send(res, 500, fault('InvalidContent'))
  const seq = /<MessageNumber>(\d+)<\/MessageNumber>/.exec(body)?.[1] ?? '1'
  const oim = ctx.world.storeOim({
    from: from.email,
    fromName: from.friendly,
    to: to.email,
    text: Buffer.from(lines.join(''), 'base64').toString('utf8'),
    at: ctx.now()
  })
  announceOim(ctx, oim)
  send(
    res,
    200,
    `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header><SequenceAcknowledgment xmlns="http://schemas.xmlsoap.org/ws/2003/03/rm"><Identifier>http://messenger.msn.com</Identifier><AcknowledgmentRange Upper="${seq}" Lower="${seq}"/></SequenceAcknowledgment></soap:Header>` +
      '<soap:Body><StoreResponse xmlns="http://messenger.live.com/ws/2006/09/oim/"><PointsConsumed>0</PointsConsumed></StoreResponse></soap:Body></soap:Envelope>'
  )
}

export function handleRsi(ctx: OimContext, body: string, res: ServerResponse): void {
  // §5.9: the first 20 characters of the first child of PassportCookie name the login.
  const cookie = /<PassportCookie[^>]*>\s*<(\w+)>([\s\S]*?)<\/\1>/.exec(body)?.[2] ?? ''
  const ticket = ctx.world.ticketOf(`t=${unesc(cookie).replace(/^t=/, '').slice(0, 20)}`, ctx.now())
  if (!ticket) return send(res, 500, fault('AuthenticationFailed'))
  const mine = ctx.world.oims.filter((o) => o.to === ticket.email)
  const envelope = (inner: string): string =>
    `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>${inner}</soap:Body></soap:Envelope>`
  if (/<(?:\w+:)?GetMessage[\s>]/.test(body)) {
    const id = /<messageId>([^<]*)<\/messageId>/.exec(body)?.[1]
    const o = mine.find((m) => m.id === id)
    if (!o) return send(res, 500, fault('MessageDoesNotExist'))
    return send(
      res,
      200,
      envelope(
        `<GetMessageResponse xmlns="http://www.hotmail.msn.com/ws/2004/09/oim/rsi"><GetMessageResult>${esc(mailOf(o))}</GetMessageResult></GetMessageResponse>`
      )
    )
  }
  if (/<(?:\w+:)?DeleteMessages[\s>]/.test(body)) {
    const ids = [...body.matchAll(/<messageId>([^<]*)<\/messageId>/g)].map((m) => m[1]!)
    if (ids.some((id) => !mine.some((m) => m.id === id)))
      return send(
        res,
        500,
        '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>Schema validation error</faultstring></soap:Fault></soap:Body></soap:Envelope>'
      )
    ctx.world.oims = ctx.world.oims.filter((o) => !(o.to === ticket.email && ids.includes(o.id)))
    ctx.world.changed()
    const note = `MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsactivemailnotification; charset=UTF-8\r\n\r\nSrc-Folder: .!!OIM\r\nDest-Folder: .!!trAsH\r\nMessage-Delta: ${ids.length}\r\n`
    for (const e of ctx.presence.real(ticket.email)) e.send(payloadBytes(['MSG', 'Hotmail', 'Hotmail'], note))
    return send(res, 200, envelope('<DeleteMessagesResponse xmlns="http://www.hotmail.msn.com/ws/2004/09/oim/rsi"/>'))
  }
  if (/<(?:\w+:)?GetMetadata[\s/>]/.test(body)) {
    const md = mine.map((o) => `<M><T>11</T><S>6</S><E>${o.from}</E><I>${o.id}</I><F>00000000-0000-0000-0000-000000000009</F></M>`).join('')
    return send(res, 200, envelope(`<GetMetadataResponse xmlns="http://www.hotmail.msn.com/ws/2004/09/oim/rsi"><MD>${md}</MD></GetMetadataResponse>`))
  }
  send(res, 500, fault('InvalidArgument'))
}
