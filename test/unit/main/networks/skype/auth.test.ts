// Microsoft-account sign-in pieces (spec §10): the authorize URL, the redirect fragment,
// JSONP, the Passport RST2 request and reply (§4.3), and the configuration.

import { describe, expect, it } from 'vitest'
import { authorizeUrl, parseAuthorizeRedirect } from '../../../../../src/main/networks/skype/login/oauth'
import { unwrapJsonp } from '../../../../../src/main/networks/skype/login/glue'
import { parseRst2Response, rst2Request } from '../../../../../src/main/networks/skype/login/passport'
import { readCredentials } from '../../../../../src/main/networks/skype/credentials'
import { configProblem, parseSkypeConfig } from '../../../../../src/main/networks/skype/config'

describe('the authorize URL', () => {
  it('asks Live for a token for Skype\u2019s client id, scope and the desktop redirect', () => {
    const config = parseSkypeConfig({})
    const url = new URL(authorizeUrl(config, config.desktopRedirectUri, 'st4te'))
    expect(url.origin + url.pathname).toBe('https://login.live.com/oauth20_authorize.srf')
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: '00000000480BC46C',
      scope: 'service::skype.com::MBI_SSL',
      response_type: 'token',
      redirect_uri: 'https://login.live.com/oauth20_desktop.srf',
      state: 'st4te'
    })
    expect(url.search).toContain('scope=service%3A%3Askype.com%3A%3AMBI_SSL')
  })

  it('takes the scope from the configuration', () => {
    const config = parseSkypeConfig({ scope: 'service::lw.skype.com::MBI_SSL' })
    expect(new URL(authorizeUrl(config, 'http://127.0.0.1:1/cb', 's')).searchParams.get('scope')).toBe('service::lw.skype.com::MBI_SSL')
  })
})

describe('the redirect', () => {
  const now = 1_000_000
  it('reads the tokens from the fragment, defaulting expires_in to a day', () => {
    const grant = parseAuthorizeRedirect(
      'https://login.live.com/oauth20_desktop.srf?lc=2033#access_token=EwB%2Babc&refresh_token=R1&token_type=bearer&scope=service::skype.com::MBI_SSL&state=s1&user_id=8b6f',
      's1',
      now
    )
    expect(grant).toEqual({ accessToken: 'EwB+abc', refreshToken: 'R1', expiresAt: now + 86_400_000, scope: 'service::skype.com::MBI_SSL', userId: '8b6f' })
    expect(parseAuthorizeRedirect('x://h#access_token=a&refresh_token=r&expires_in=3600&state=s', 's', now).expiresAt).toBe(now + 3_600_000)
  })

  it('says "cancelled" for access_denied or res=cancel, and names other errors', () => {
    expect(() => parseAuthorizeRedirect('https://login.live.com/oauth20_desktop.srf?lc=1033&res=cancel', 's', now)).toThrow(
      expect.objectContaining({ code: 'cancelled' })
    )
    expect(() => parseAuthorizeRedirect('https://h/cb#error=access_denied&error_description=no', 's', now)).toThrow(
      expect.objectContaining({ code: 'cancelled' })
    )
    expect(() => parseAuthorizeRedirect('https://h/cb#error=invalid_scope', 's', now)).toThrow(
      expect.objectContaining({ code: 'auth-failed', detail: 'invalid_scope' })
    )
  })

  it('refuses another request\u2019s state, a missing token, and an unreadable URL', () => {
    expect(() => parseAuthorizeRedirect('https://h/cb#access_token=a&refresh_token=r&state=other', 's', now)).toThrow(/different request/)
    expect(() => parseAuthorizeRedirect('https://h/cb#refresh_token=r&state=s', 's', now)).toThrow(expect.objectContaining({ code: 'auth-failed' }))
    expect(() => parseAuthorizeRedirect('https://h/cb#access_token=a&state=s', 's', now)).toThrow(/refresh token/)
    expect(() => parseAuthorizeRedirect('not a url', 's', now)).toThrow(expect.objectContaining({ code: 'protocol' }))
  })
})

describe('JSONP', () => {
  it('unwraps a callback and leaves plain JSON alone', () => {
    expect(JSON.parse(unwrapJsonp('skypeCb_123({"username":"live:alice_1"});'))).toEqual({ username: 'live:alice_1' })
    expect(unwrapJsonp('{"a":1}')).toBe('{"a":1}')
  })
})

describe('Passport RST2 (spec §4.3)', () => {
  it('asks for the messengerclear ticket with MBI_KEY_OLD and escapes the credentials', () => {
    const xml = rst2Request('a@b.c', 'p<&>')
    expect(xml).toContain('<wsa:Address>messengerclear.live.com</wsa:Address></wsa:EndpointReference></wsp:AppliesTo><wsp:PolicyReference URI="MBI_KEY_OLD">')
    expect(xml).toContain('<wsse:Password>p&lt;&amp;&gt;</wsse:Password>')
    expect(xml).toContain('<ps:HostingApp>{7108E71A-9926-4FCB-BCC9-9A9D3F32E423}</ps:HostingApp>')
  })

  it('reads tickets and the proof key, and a fault as a wrong password', () => {
    const rstr = (address: string, ticket: string, secret = ''): string =>
      `<wst:RequestSecurityTokenResponse><wsp:AppliesTo><wsa:EndpointReference><wsa:Address>${address}</wsa:Address></wsa:EndpointReference></wsp:AppliesTo><wst:Lifetime><wsu:Expires>2030-01-01T00:00:00Z</wsu:Expires></wst:Lifetime><wst:RequestedSecurityToken><wsse:BinarySecurityToken Id="C">${ticket}</wsse:BinarySecurityToken></wst:RequestedSecurityToken>${secret ? `<wst:RequestedProofToken><wst:BinarySecret>${secret}</wst:BinarySecret></wst:RequestedProofToken>` : ''}</wst:RequestSecurityTokenResponse>`
    const ns = 'xmlns:S="s" xmlns:wst="t" xmlns:wsp="p" xmlns:wsa="a" xmlns:wsu="u" xmlns:wsse="e" xmlns:psf="f"'
    const ok = `<S:Envelope ${ns}><S:Body><wst:RequestSecurityTokenResponseCollection>${rstr('messengerclear.live.com', 't=abc&amp;p=', 'AAEC')}${rstr('contacts.msn.com', 't=def&amp;p=')}</wst:RequestSecurityTokenResponseCollection></S:Body></S:Envelope>`
    expect(parseRst2Response(ok, 0)).toEqual({
      messenger: { ticket: 't=abc&p=', secret: 'AAEC', expiresAt: Date.parse('2030-01-01T00:00:00Z') },
      contacts: { ticket: 't=def&p=', expiresAt: Date.parse('2030-01-01T00:00:00Z') }
    })
    const fault = `<S:Envelope ${ns}><S:Body><S:Fault><S:Detail><psf:error><psf:value>0x80048821</psf:value></psf:error></S:Detail></S:Fault></S:Body></S:Envelope>`
    expect(() => parseRst2Response(fault, 0)).toThrow(expect.objectContaining({ code: 'auth-failed', detail: '0x80048821' }))
  })
})

describe('configuration', () => {
  it('defaults to the real services and the MSNP24 gateway over TLS', () => {
    const c = parseSkypeConfig({})
    expect([c.tokenUrl, c.apiUrl, c.abchUrl, c.activeSyncUrl, c.passportUrl]).toEqual([
      'https://login.live.com/oauth20_token.srf',
      'https://api.skype.com',
      'https://proxy-blu-people.directory.live.com/abservice',
      'https://m.hotmail.com/Microsoft-Server-ActiveSync',
      'https://login.live.com/RST2.srf'
    ])
    expect([c.msnpHost, c.msnpPort, c.msnpTls]).toEqual(['s.gateway.messenger.live.com', 443, true])
    const wlm = parseSkypeConfig({ msnpDialect: 'msnp21' })
    expect([wlm.msnpHost, wlm.msnpPort, wlm.msnpTls]).toEqual(['messenger.hotmail.com', 1863, false])
  })

  it('names what is wrong with a bad configuration', () => {
    expect(configProblem({ msnpPort: 70000 })).toMatch(/msnpPort/)
    expect(configProblem({ apiUrl: 'ftp://x' })).toMatch(/apiUrl/)
    expect(configProblem({ surprise: true })).toMatch(/Skype setting/)
    expect(configProblem({})).toBeNull()
  })

  it('reads saved credentials or asks for a new sign-in', () => {
    expect(() => readCredentials({ v: 1, method: 'browser' })).toThrow(expect.objectContaining({ code: 'auth-failed' }))
  })
})
