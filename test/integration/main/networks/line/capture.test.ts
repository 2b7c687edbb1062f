// Capture 002 replayed, both ways. The client, driven through the two captured sessions
// (Letter Sealing off; Letter Sealing on talking to sealing-off peers), must send each
// captured request: same method and path, the captured headers (secrets only where the
// capture has them), the same JSON body shape and literal values. The reference server
// must answer each captured request — sent here as the capture's own bodies — with the
// captured status, envelope and shape; and its event stream must look like the capture's.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { generateKeyPair } from '../../../../../src/main/networks/line/crypto'
import { emailLoginSecret, rsaPasswordBlob } from '../../../../../src/main/networks/line/login/email-crypto'
import { SseParser, type SseEvent } from '../../../../../src/main/networks/line/sse'
import { eventually } from '../../../../helpers/events'
import { LinePhone } from '../../../../servers/line/phone'
import type { RecordedRequest } from '../../../../servers/line/world'
import { differences, loadCapture, SESSION_HEADERS, type Exchange } from './capture-match'
import { lineFixture, qrLoginAs, scriptedIO, type LineFixture } from './helpers'

const capture = loadCapture()
let f: LineFixture

beforeEach(async () => {
  f = await lineFixture({ maxLongPollMs: 300 })
})

afterEach(async () => {
  await f.close()
})

const pathOf = (r: { path: string }): string => r.path.replace(/\?.*$/, '')

function checkRequest(ex: Exchange, r: RecordedRequest): string[] {
  const out: string[] = []
  for (const [name, value] of Object.entries(capture.commonHeaders)) {
    if (r.headers[name] === undefined) out.push(`missing header ${name}`)
    else if (!value.startsWith('<') && r.headers[name] !== value) out.push(`header ${name}: ${r.headers[name]}`)
  }
  for (const name of ex.headers) if (r.headers[name] === undefined) out.push(`missing header ${name}`)
  for (const name of SESSION_HEADERS) if (!ex.headers.includes(name) && r.headers[name] !== undefined) out.push(`unexpected header ${name}`)
  if (ex.method === 'POST' && r.headers['content-type'] !== 'application/json') out.push('content-type')
  for (const [name, value] of Object.entries(ex.headerValues ?? {})) if (r.headers[name] !== value) out.push(`header ${name}: ${r.headers[name]}`)
  if (ex.request !== undefined) out.push(...differences(ex.request, JSON.parse(r.body)).map((d) => `request ${d}`))
  return out
}

function checkResponse(ex: Exchange, status: number, body: string, setCookie: string[]): string[] {
  const out: string[] = []
  if (ex.status !== undefined && status !== ex.status) out.push(`status ${status}`)
  if (ex.response !== undefined) out.push(...differences(ex.response, JSON.parse(body)).map((d) => `response ${d}`))
  if (ex.setCookie) {
    const pattern = new RegExp(`^${ex.setCookie.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('<jwt>', '[\\w-]+\\.[\\w-]+\\.[\\w-]+')}$`)
    if (!setCookie.some((c) => pattern.test(c))) out.push(`set-cookie ${JSON.stringify(setCookie)}`)
  }
  return out
}

/** Finds each captured exchange, in order, among what the client sent, and compares. */
function walk(trace: Exchange[], requests: RecordedRequest[]): string[] {
  const out: string[] = []
  let at = -1
  for (const ex of trace) {
    const i = requests.findIndex((r, k) => k > at && r.method === ex.method && pathOf(r) === ex.path)
    if (i === -1) {
      out.push(`${ex.step}: not sent`)
      continue
    }
    at = i
    const r = requests[i]!
    const cookies = ([] as string[]).concat(r.responseHeaders['set-cookie'] ?? [])
    out.push(...[...checkRequest(ex, r), ...checkResponse(ex, r.status, r.response, cookies)].map((d) => `${ex.step}: ${d}`))
  }
  return out
}

describe('capture 002 against the client (and the server answering it)', () => {
  it('Letter Sealing off: type 2 → 89 → type 0 → PIN → JQ → type 1, a group send, logout, a fresh QR screen', async () => {
    const carolPhone = new LinePhone(f.server, f.carol.mid)
    const t = f.connector()
    await t.connector.login(
      { methodId: 'email', fields: { email: 'carol@example.com', password: 'carol pw' }, previous: null },
      scriptedIO(async (s) => {
        if (s.kind === 'pin') await carolPhone.enterPin(s.pin)
      })
    )
    await t.connector.send(f.mixed.mid, 'capture-a', { kind: 'text', text: 'テスト' })
    await t.connector.logout()
    const qrScreen = f.connector()
    const io = scriptedIO(() => {})
    const pending = qrScreen.connector.login({ methodId: 'qr', fields: {}, previous: null }, io).catch(() => undefined)
    await eventually(() => f.server.world.requests.some((r) => r.path.endsWith('/checkQrCodeVerified')))
    io.abort.abort()
    await pending
    expect(walk(capture.traces['letter-sealing-off'], f.server.world.requests)).toEqual([])
    // A sealing-off account never asks for keys before sending.
    expect(f.server.world.requests.some((r) => /negotiateE2EEPublicKey|getLastE2EE/.test(r.path))).toBe(false)
  })

  it('Letter Sealing on → off: a dead session (code 1) then logoutV2, a certificate login, plain sends after the key probes', async () => {
    const first = f.connector()
    const login = await first.connector.login(
      { methodId: 'email', fields: { email: 'alice@example.com', password: 'correct horse' }, previous: null },
      scriptedIO(async (s) => {
        if (s.kind === 'pin') await f.phone.enterPin(s.pin)
      })
    )
    await first.connector.close()
    await f.phone.logoutEverywhere()
    f.server.world.requests.splice(0)

    const t = f.connector()
    await expect(t.connector.restore(login.credentials, {})).rejects.toMatchObject({ code: 'auth-failed' })
    await t.connector.login(
      { methodId: 'email', fields: { email: 'alice@example.com', password: 'correct horse' }, previous: login.credentials },
      scriptedIO(() => {})
    )
    await t.connector.send(f.carol.mid, 'capture-b1', { kind: 'text', text: 'テスト' })
    await t.connector.send(f.mixed.mid, 'capture-b2', { kind: 'text', text: 'テスト' })
    await t.connector.logout()
    expect(walk(capture.traces['letter-sealing-on-to-off'], f.server.world.requests)).toEqual([])
    // The operation stream was opened in the capture's query shape.
    const pattern = new RegExp(`^${capture.stream.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('<i64:rev>', '\\d+')}$`)
    expect(f.server.world.requests.some((r) => pattern.test(r.path))).toBe(true)
  })
})

describe('capture 002 against the server (the capture’s own requests)', () => {
  const signer = () => f.server.signer!

  async function send(ex: Exchange, fill: Record<string, unknown>, token: string | null, sessionId?: string) {
    const substitute = (v: unknown): unknown =>
      typeof v === 'string' && v in fill
        ? fill[v]
        : Array.isArray(v)
          ? v.map(substitute)
          : v && typeof v === 'object'
            ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x)]))
            : v
    const body = ex.request === undefined ? '' : JSON.stringify(substitute(ex.request))
    const headers: Record<string, string> = {
      accept: 'application/json, text/plain, */*',
      'accept-language': 'en-US',
      origin: 'chrome-extension://ophjlpahpchlmihnnnihgmmeilfjmjjc',
      'user-agent': 'capture',
      'x-lal': 'en_US',
      'x-line-chrome-version': '3.7.2'
    }
    if (ex.method === 'POST') headers['content-type'] = 'application/json'
    headers['x-hmac'] = await signer().sign({ version: '3.7.2', accessToken: token ?? '', path: ex.path, body })
    if (token) {
      headers['x-line-access'] = token
      headers.cookie = `lct=${token}`
    }
    if (sessionId) headers['x-line-session-id'] = sessionId
    if (ex.headerValues?.['x-lst']) headers['x-lst'] = ex.headerValues['x-lst']
    const res = await fetch(f.server.url + ex.path, { method: ex.method, headers, ...(ex.method === 'POST' ? { body } : {}) })
    const text = await res.text()
    return { status: res.status, text, json: JSON.parse(text) as { data?: Record<string, unknown> }, cookies: res.headers.getSetCookie() }
  }

  it('answers the Letter Sealing off trace as captured', async () => {
    const [t1, t2, t3, t4, t5, t6, t7a, t7b, t7c] = capture.traces['letter-sealing-off']
    const rsaKey = async () =>
      (await send(capture.traces['letter-sealing-on-to-off'][2]!, {}, null)).json.data as { keynm: string; nvalue: string; evalue: string; sessionKey: string }
    const keys = generateKeyPair()
    let key = await rsaKey()
    const credential = () => ({ '<i64:keynm>': key.keynm, '<hex:app-encrypted blob>': rsaPasswordBlob(key, 'carol@example.com', 'carol pw') })
    const check = (ex: Exchange, r: Awaited<ReturnType<typeof send>>) => expect(checkResponse(ex, r.status, r.text, r.cookies)).toEqual([])

    check(t1!, await send(t1!, { ...credential(), '<string:secret>': emailLoginSecret('123456', keys.publicKey) }, null))
    key = await rsaKey()
    const r2 = await send(t2!, credential(), null)
    check(t2!, r2)
    const verifier = r2.json.data!.verifier as string
    expect(r2.json.data!.pinCode).toMatch(/^\d{4}$/)
    await new LinePhone(f.server, f.carol.mid).enterPin(r2.json.data!.pinCode as string)
    check(t3!, await send(t3!, {}, null, verifier))
    const r4 = await send(t4!, { '<string:verifier>': verifier }, null)
    check(t4!, r4)
    const token = (r4.json.data!.tokenV3IssueResult as { accessToken: string }).accessToken
    const sendFill = {
      '<number:reqSeq>': 662642008,
      '<string:local-reqSeq>': 'local-662642008',
      '<string:logged-in user MID>': f.carol.mid,
      '<string:group MID>': f.mixed.mid,
      '<i64:time>': '1773625306000'
    }
    check(t5!, await send(t5!, sendFill, token))
    check(t6!, await send(t6!, {}, token))
    const r7a = await send(t7a!, {}, null)
    check(t7a!, r7a)
    const session = r7a.json.data!.authSessionId as string
    check(t7b!, await send(t7b!, { '<string:auth session id>': session }, null))
    // 7c has no captured answer: with nobody scanning, the window ends in the wrapped 410.
    const r7c = await send(t7c!, { '<string:auth session id>': session }, null, session)
    expect(JSON.parse(r7c.text)).toEqual({ code: 10052, message: 'RESPONSE_HTTP_ERROR', data: { statusCode: 410 } })
  })

  it('answers the Letter Sealing on → off trace as captured, and streams operations as captured', async () => {
    const { result } = await qrLoginAs(f.connector(), f.phone)
    const old = result.credentials as { accessToken: string; certificate: string }
    await f.phone.logoutEverywhere()
    const [t0a, t0b, t4a, t4b, t5, t6, t7a, t7b, t8, t9] = capture.traces['letter-sealing-on-to-off']
    const check = (ex: Exchange, r: Awaited<ReturnType<typeof send>>) => expect(checkResponse(ex, r.status, r.text, r.cookies)).toEqual([])
    check(t0a!, await send(t0a!, {}, old.accessToken))
    check(t0b!, await send(t0b!, {}, old.accessToken))
    const r4a = await send(t4a!, {}, null)
    check(t4a!, r4a)
    const key = r4a.json.data as { keynm: string; nvalue: string; evalue: string; sessionKey: string }
    const r4b = await send(
      t4b!,
      {
        '<i64:keynm>': key.keynm,
        '<hex:app-encrypted blob>': rsaPasswordBlob(key, 'alice@example.com', 'correct horse'),
        '<hex:certificate from prior login>': old.certificate
      },
      null
    )
    check(t4b!, r4b)
    const token = (r4b.json.data!.tokenV3IssueResult as { accessToken: string }).accessToken
    const me = {
      '<string:LSON user MID>': f.alice.mid,
      '<string:LSOFF user MID>': f.carol.mid,
      '<string:mixed group MID>': f.mixed.mid,
      '<i64:time>': '1773638909000'
    }
    check(t5!, await send(t5!, me, token))
    check(t6!, await send(t6!, { ...me, '<number:reqSeq>': 1524162637, '<string:local-reqSeq>': 'local-1524162637' }, token))
    check(t7a!, await send(t7a!, me, token))
    check(t7b!, await send(t7b!, me, token))
    const before = f.server.world.user(f.alice.mid).revision
    check(t8!, await send(t8!, { ...me, '<number:reqSeq>': 1524162638, '<string:local-reqSeq>': 'local-1524162638' }, token))

    // The stream of trace A: chat checked on another device (40), a send from another device
    // (25, reqSeq -1), our own read marker (55).
    const world = f.server.world
    const afterSend = world.opsAfter(f.alice.mid, before).at(-1)!.revision
    const last = world.messages.at(-1)!
    world.readChat(f.alice.mid, f.mixed.mid, last.id, 65421321)
    world.deliver(f.alice.mid, -1, { to: f.mixed.mid, toType: 2, text: 'テスト', hasContent: false, contentType: 0, contentMetadata: {} })
    const events: SseEvent[] = []
    const parser = new SseParser((e) => events.push(e))
    const abort = new AbortController()
    const res = await fetch(`${f.server.url}/api/operation/receive?localRev=${afterSend}&version=3.7.2&lastPartialFullSyncs=%7B%7D&language=en_US`, {
      headers: { cookie: `lct=${token}`, accept: 'text/event-stream' },
      signal: abort.signal
    })
    const reader = res.body!.getReader()
    while (events.length < capture.stream.events.length) parser.push((await reader.read()).value!)
    abort.abort()
    const seen = events
      .slice(0, capture.stream.events.length)
      .map((e) => ({ ...(e.event !== 'message' ? { event: e.event } : { id: e.id }), data: JSON.parse(e.data) as unknown }))
    expect(differences(capture.stream.events, seen)).toEqual([])
    check(t9!, await send(t9!, {}, token))
  })
})
