import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { eventually } from '../../../helpers/events'
import { startTestHost, type HostHarness } from '../../../helpers/host-harness'

let h: HostHarness
let token: string
beforeAll(async () => {
  h = await startTestHost()
  token = new URL(h.host.url).searchParams.get('token')!
})
afterAll(async () => h?.close())

function get(
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
  body?: string
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: h.host.port, path, method, headers: { host: `127.0.0.1:${h.host.port}`, ...headers } }, (res) => {
      let data = ''
      res.on('data', (c: Buffer) => (data += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: data }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

function connect(url: string, origin: string | undefined): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin === undefined ? {} : { origin })
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
  })
}

function call(ws: WebSocket, id: number, name: string, arg?: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string } }> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const frame = JSON.parse(data.toString()) as { id?: number; reply?: { ok: boolean } }
      if (frame.id === id) {
        ws.off('message', onMessage)
        resolve(frame.reply as never)
      }
    }
    ws.on('message', onMessage)
    ws.send(JSON.stringify({ id, name, arg }))
  })
}

describe('the headless host', () => {
  it('binds to loopback and prints a URL with a long random token', () => {
    expect(h.host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/)
  })

  it('serves the renderer with a strict CSP and no referrer', async () => {
    const res = await get('/')
    expect(res.status).toBe(200)
    expect(res.body).toContain('<div id="root">')
    const csp = String(res.headers['content-security-policy'])
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe')
    expect(csp).toContain(`ws://127.0.0.1:${h.host.port}`)
    expect(res.headers['referrer-policy']).toBe('no-referrer')
  })

  it('serves nothing outside the build folder', async () => {
    for (const path of ['/../package.json', '/%2e%2e/%2e%2e/package.json', '/assets/../../main/index.js', '/nope.js']) {
      expect((await get(path)).status).toBe(404)
    }
  })

  it('answers only to its own Host header (DNS rebinding)', async () => {
    expect((await get('/', { host: 'evil.example:80' })).status).toBe(421)
  })

  it('refuses the Api without the token, with a wrong token, or from another origin', async () => {
    const origin = `http://127.0.0.1:${h.host.port}`
    const base = `ws://127.0.0.1:${h.host.port}/api`
    await expect(connect(base, origin)).rejects.toThrow(/403/)
    await expect(connect(`${base}?token=${'x'.repeat(token.length)}`, origin)).rejects.toThrow(/403/)
    await expect(connect(`${base}?token=${token}`, 'http://evil.example')).rejects.toThrow(/403/)
    await expect(connect(`${base}?token=${token}`, undefined)).rejects.toThrow(/403/)
  })

  it('answers requests and validates them like the Electron ipc does', async () => {
    const ws = await connect(`ws://127.0.0.1:${h.host.port}/api?token=${token}`, `http://127.0.0.1:${h.host.port}`)
    expect(await call(ws, 1, 'getAppInfo')).toMatchObject({ ok: true, value: { shell: 'headless' } })
    expect(await call(ws, 2, 'getChat', { chatId: 7 })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
    expect(await call(ws, 3, 'rm -rf', {})).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
    const malformed = new Promise<unknown>((resolve) => ws.once('message', (d) => resolve(JSON.parse(d.toString()))))
    ws.send('this is not json')
    expect(await malformed).toMatchObject({ id: null, reply: { ok: false, error: { code: 'invalid-argument' } } })
    expect(await call(ws, 4, 'listAccounts')).toMatchObject({ ok: true, value: [] })
    ws.close()
  })

  it('serves the sign-in callback page and refuses to complete an unknown sign-in', async () => {
    const page = await get('/auth/callback/abc')
    expect(page.status).toBe(200)
    expect(page.body).toContain('/auth/callback.js')
    const script = await get('/auth/callback.js')
    expect(script.body).toContain('/auth/complete/')
    const complete = await get('/auth/complete/not-a-login', { origin: `http://127.0.0.1:${h.host.port}` }, 'POST', 'https://x.invalid/#access_token=1')
    expect(complete.status).toBe(404)
    const foreign = await get('/auth/complete/not-a-login', { origin: 'http://evil.example' }, 'POST', 'x')
    expect(foreign.status).toBe(403)
  })

  it('lets only the token holder download an export', async () => {
    const result = await h.host.core.handlers.exportHistory({ format: 'json' })
    expect(result.downloadUrl).toBe(`/exports/${result.fileName}`)
    expect((await get(`${result.downloadUrl}?token=${token}`)).status).toBe(200)
    expect(JSON.parse((await get(`${result.downloadUrl}?token=${token}`)).body)).toMatchObject({ app: 'Junction' })
    expect((await get(result.downloadUrl!)).status).toBe(403)
    expect((await get(`/exports/..%2Fjunction.db?token=${token}`)).status).toBe(404)
  })

  it('finishes a browser sign-in through its callback page, unique to the login', async () => {
    h.net.addUser('alice@c.us', 'Alice', { chats: [] })
    const ws = await connect(`ws://127.0.0.1:${h.host.port}/api?token=${token}`, `http://127.0.0.1:${h.host.port}`)
    const events: { type: string; payload: { loginId: string; step: { kind: string; url?: string } } }[] = []
    ws.on('message', (d) => {
      const frame = JSON.parse(d.toString()) as { event?: (typeof events)[number] }
      if (frame.event?.type === 'login') events.push(frame.event)
    })
    const reply = (await call(ws, 10, 'startLogin', { network: 'whatsapp', methodId: 'browser' })) as { value: { loginId: string } }
    const loginId = reply.value.loginId
    const browser = await eventually(() => events.find((e) => e.payload.step.kind === 'browser'))
    const signIn = new URL(browser.payload.step.url!)
    const redirectUri = signIn.searchParams.get('redirect_uri')!
    expect(redirectUri).toBe(`http://127.0.0.1:${h.host.port}/auth/callback/${loginId}`)
    // The sign-in page redirects to the callback with the result in the fragment; the callback page posts its URL.
    const fragment = h.net.approveBrowserLogin(signIn.searchParams.get('state')!, 'alice@c.us')
    const complete = await get(`/auth/complete/${loginId}`, { origin: `http://127.0.0.1:${h.host.port}` }, 'POST', `${redirectUri}#${fragment}`)
    expect(complete.status).toBe(204)
    await eventually(() => events.find((e) => e.payload.loginId === loginId && e.payload.step.kind === 'done'))
    ws.close()
  })
})
