// The login.live.com stand-in (spec §10.1–§10.3, §4.3): an authorize page with a sign-in
// form a person can use, the post that answers with a 302 to `redirect_uri#access_token=…`,
// the refresh-token grant, and Passport RST2 for MSNP21 clients.

import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { tagText, xmlEscape } from './wire'
import type { SkypeWorld } from './world'

export const SKYPE_CLIENT_ID = '00000000480BC46C'
const LOGIN_SCOPES = new Set(['service::skype.com::MBI_SSL', 'service::lw.skype.com::MBI_SSL'])
const SERVICE_SCOPES = new Set([
  ...LOGIN_SCOPES,
  'service::login.skype.com::MBI_SSL',
  'service::contacts.msn.com::MBI_SSL',
  'service::m.hotmail.com::MBI_SSL',
  'service::ssl.live.com::MBI_SSL'
])

export interface LoginOptions {
  world: SkypeWorld
  origin: () => string
  tokenLifetimeSec: number
}

/** Live accepts only its desktop URI for Skype's client id; the stand-in also takes loopback URLs (the headless host's callback). */
function allowedRedirect(uri: string, origin: string): boolean {
  if (uri === 'https://login.live.com/oauth20_desktop.srf' || uri === `${origin}/oauth20_desktop.srf`) return true
  try {
    const u = new URL(uri)
    return u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost') && u.hash === ''
  } catch {
    return false
  }
}

function page(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in to your Microsoft account</title><link rel="icon" href="data:,">
<style>body{font-family:Segoe UI,system-ui,sans-serif;background:#f2f2f2;margin:0}main{max-width:380px;margin:60px auto;background:#fff;padding:36px 44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:24px;font-weight:600;margin:0 0 4px}label{display:block;margin-top:16px;font-size:14px}input{width:100%;box-sizing:border-box;padding:6px 0;border:0;border-bottom:1px solid #666;font-size:15px}
.actions{margin-top:28px;display:flex;gap:8px;justify-content:flex-end}button{padding:6px 22px;font-size:15px;border:0}button.primary{background:#0067b8;color:#fff}.error{color:#e81123}.note{font-size:13px;color:#555}</style>
</head><body><main>${body}</main></body></html>`)
}

export class LoginService {
  private readonly flowTokens = new Set<string>()

  constructor(private readonly o: LoginOptions) {}

  private checkQuery(url: URL): { redirectUri: string; scope: string; state: string } | string {
    const q = url.searchParams
    if (q.get('client_id') !== SKYPE_CLIENT_ID) return 'The application is not known (client_id).'
    if (q.get('response_type') !== 'token') return 'Only the token response type is supported for this application.'
    const scope = q.get('scope') ?? ''
    if (!LOGIN_SCOPES.has(scope)) return 'The requested scope is not valid for this application.'
    const redirectUri = q.get('redirect_uri') ?? ''
    if (!allowedRedirect(redirectUri, this.o.origin())) return 'The redirect address is not allowed for this application.'
    return { redirectUri, scope, state: q.get('state') ?? '' }
  }

  authorizePage(url: URL, res: ServerResponse, error: string | null = null, login = ''): void {
    const checked = this.checkQuery(url)
    if (typeof checked === 'string') return page(res, 400, `<h1>We're unable to complete your request</h1><p class="error">${xmlEscape(checked)}</p>`)
    const ppft = randomBytes(24).toString('base64url')
    this.flowTokens.add(ppft)
    const post = `/ppsecure/post.srf${url.search}`
    page(
      res,
      200,
      `<form method="post" action="${xmlEscape(post)}" id="i0281">
<h1>Sign in</h1><p class="note">to continue to Skype</p>
${error ? `<p class="error" role="alert">${xmlEscape(error)}</p>` : ''}
<label for="i0116">Email, phone, or Skype</label><input type="email" name="login" id="i0116" autocomplete="username" value="${xmlEscape(login)}" required autofocus>
<label for="i0118">Password</label><input type="password" name="passwd" id="i0118" autocomplete="current-password" required>
<input type="hidden" name="PPFT" value="${ppft}">
<div class="actions"><button type="submit" name="action" value="cancel" formnovalidate>Cancel</button><button type="submit" class="primary" name="action" value="signin" id="idSIButton9">Sign in</button></div>
</form><script>var ServerData={urlPost:'${post.replace(/'/g, '%27')}',sFT:'${ppft}'};</script>`
    )
  }

  post(url: URL, form: URLSearchParams, res: ServerResponse): void {
    const checked = this.checkQuery(url)
    if (typeof checked === 'string') return page(res, 400, `<h1>We're unable to complete your request</h1><p class="error">${xmlEscape(checked)}</p>`)
    const ppft = form.get('PPFT') ?? ''
    if (!this.flowTokens.delete(ppft)) return this.authorizePage(url, res, 'Your session has timed out. Please try again.')
    const desktop = checked.redirectUri.endsWith('/oauth20_desktop.srf')
    const base = `${checked.redirectUri}${desktop ? '?lc=1033' : ''}`
    if (form.get('action') === 'cancel') {
      // Miranda looks for error=access_denied or res=cancel in the final URL (spec §10.1).
      const sep = desktop ? '&' : '?'
      res.writeHead(302, {
        Location: `${base}${sep}res=cancel#error=access_denied&error_description=${encodeURIComponent('The user has denied access to the scope requested by the client application.')}&state=${encodeURIComponent(checked.state)}`
      })
      return void res.end()
    }
    const user = this.o.world.byEmail(form.get('login') ?? '') ?? [...this.o.world.users.values()].find((u) => u.skypeName === form.get('login'))
    if (!user || user.password !== form.get('passwd')) {
      return this.authorizePage(url, res, "Your account or password is incorrect. If you don't remember your password, reset it now.", form.get('login') ?? '')
    }
    const access = this.o.world.issueToken(user.key, checked.scope, this.o.tokenLifetimeSec)
    const refresh = `M.R3_BAY.${randomBytes(48).toString('base64url')}`
    this.o.world.refreshTokens.set(refresh, user.key)
    this.o.world.changed()
    const fragment = new URLSearchParams({
      access_token: access,
      token_type: 'bearer',
      expires_in: String(this.o.tokenLifetimeSec),
      scope: checked.scope,
      state: checked.state,
      refresh_token: refresh,
      user_id: user.cid
    })
    this.o.world.events.emit('signed-in', { user: user.key })
    res.writeHead(302, { Location: `${base}#${fragment.toString()}` })
    res.end()
  }

  token(form: URLSearchParams, res: ServerResponse): void {
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (form.get('client_id') !== SKYPE_CLIENT_ID || form.get('grant_type') !== 'refresh_token') return json(400, { error: 'unsupported_grant_type' })
    const key = this.o.world.refreshTokens.get(form.get('refresh_token') ?? '')
    if (!key) return json(400, { error: 'invalid_grant', error_description: 'The provided value for the input parameter refresh_token is not valid.' })
    const scope = form.get('scope') ?? ''
    if (!SERVICE_SCOPES.has(scope)) return json(400, { error: 'invalid_scope' })
    const refresh = `M.R3_BAY.${randomBytes(48).toString('base64url')}`
    this.o.world.refreshTokens.set(refresh, key)
    this.o.world.changed()
    this.o.world.events.emit('token', { user: key, scope })
    json(200, {
      token_type: 'bearer',
      expires_in: this.o.tokenLifetimeSec,
      scope,
      access_token: this.o.world.issueToken(key, scope, this.o.tokenLifetimeSec),
      refresh_token: refresh,
      user_id: this.o.world.user(key).cid
    })
  }

  /** spec §4.3: RST2 with a UsernameToken; a wrong password is a SOAP fault with psf:value 0x80048821. */
  rst2(xml: string, res: ServerResponse): void {
    const email = tagText(xml, 'wsse:Username') ?? ''
    const password = tagText(xml, 'wsse:Password') ?? ''
    const user = this.o.world.byEmail(email)
    res.writeHead(user && user.password === password ? 200 : 500, { 'Content-Type': 'application/soap+xml; charset=utf-8' })
    const envelope = (body: string): string =>
      '<?xml version="1.0" encoding="utf-8"?><S:Envelope xmlns:S="http://www.w3.org/2003/05/soap-envelope" xmlns:wst="http://schemas.xmlsoap.org/ws/2005/02/trust"' +
      ' xmlns:wsse="http://schemas.xmlsoap.org/ws/2003/06/secext" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"' +
      ' xmlns:wsa="http://www.w3.org/2005/08/addressing" xmlns:wsp="http://schemas.xmlsoap.org/ws/2002/12/policy" xmlns:psf="http://schemas.microsoft.com/Passport/SoapServices/SOAPFault">' +
      `<S:Body>${body}</S:Body></S:Envelope>`
    if (!user || user.password !== password) {
      return void res.end(
        envelope(
          '<S:Fault><S:Code><S:Value>S:Sender</S:Value><S:Subcode><S:Value>wst:FailedAuthentication</S:Value></S:Subcode></S:Code>' +
            '<S:Reason><S:Text xml:lang="en-US">Authentication Failure</S:Text></S:Reason><S:Detail><psf:error><psf:value>0x80048821</psf:value>' +
            '<psf:internalerror><psf:code>0x80041012</psf:code><psf:text>The entered and stored passwords do not match.</psf:text></psf:internalerror></psf:error></S:Detail></S:Fault>'
        )
      )
    }
    const now = this.o.world.now()
    const expires = now + this.o.tokenLifetimeSec * 1000
    const addresses = [...xml.matchAll(/<wsa:Address>([^<]+)<\/wsa:Address>/g)].map((m) => m[1]!)
    const responses = addresses.map((address) => {
      const ticket = `t=${randomBytes(60).toString('base64url')}&p=`
      const secret = address === 'messengerclear.live.com' ? randomBytes(24).toString('base64') : undefined
      this.o.world.passportTickets.set(ticket, { user: user.key, scope: address, expiresAt: expires, ...(secret ? { secret } : {}) })
      return (
        '<wst:RequestSecurityTokenResponse><wst:TokenType>urn:passport:compact</wst:TokenType>' +
        `<wsp:AppliesTo><wsa:EndpointReference><wsa:Address>${xmlEscape(address)}</wsa:Address></wsa:EndpointReference></wsp:AppliesTo>` +
        `<wst:Lifetime><wsu:Created>${new Date(now).toISOString()}</wsu:Created><wsu:Expires>${new Date(expires).toISOString()}</wsu:Expires></wst:Lifetime>` +
        `<wst:RequestedSecurityToken><wsse:BinarySecurityToken Id="Compact">${xmlEscape(ticket)}</wsse:BinarySecurityToken></wst:RequestedSecurityToken>` +
        (secret ? `<wst:RequestedProofToken><wst:BinarySecret>${secret}</wst:BinarySecret></wst:RequestedProofToken>` : '') +
        '</wst:RequestSecurityTokenResponse>'
      )
    })
    this.o.world.changed()
    res.end(envelope(`<wst:RequestSecurityTokenResponseCollection>${responses.join('')}</wst:RequestSecurityTokenResponseCollection>`))
  }
}

export async function readBody(req: IncomingMessage, limit = 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw new Error('body too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}
