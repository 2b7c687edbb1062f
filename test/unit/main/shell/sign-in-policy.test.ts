import { describe, expect, it } from 'vitest'
import { signInNavigationPolicy, signInPermission } from '../../../../src/main/shell/sign-in-policy'

const REDIRECT = 'https://login.live.com/oauth20_desktop.srf'

describe('the sign-in window policy', () => {
  const policy = signInNavigationPolicy({
    startUrl: 'https://login.live.com/oauth20_authorize.srf?client_id=1&redirect_uri=x',
    redirectPrefix: REDIRECT,
    extraOrigins: ['https://login.microsoftonline.com']
  })

  it('captures the redirect that ends the sign-in', () => {
    expect(policy(`${REDIRECT}#access_token=abc&expires_in=86400`)).toBe('redirect')
  })

  it('allows the sign-in service: its host, its site and the listed origins, over https', () => {
    expect(policy('https://login.live.com/ppsecure/post.srf')).toBe('allow')
    expect(policy('https://account.live.com/proofs/Verify')).toBe('allow')
    expect(policy('https://login.microsoftonline.com/common/oauth2')).toBe('allow')
  })

  it.each([
    'https://example.com/',
    'https://live.com.evil.example/',
    'https://evillive.com/',
    'http://login.live.com/oauth20_authorize.srf',
    'https://login.microsoftonline.com.evil.example/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,<script>1</script>',
    'https://user:pass@login.live.com/',
    'chrome://settings',
    'not a url'
  ])('refuses %s', (url) => {
    expect(policy(url)).toBe('deny')
  })

  it('allows plain http only to the loopback server the sign-in started on (the reference server)', () => {
    const local = signInNavigationPolicy({
      startUrl: 'http://127.0.0.1:4100/oauth20_authorize.srf',
      redirectPrefix: 'http://127.0.0.1:4100/oauth20_desktop.srf'
    })
    expect(local('http://127.0.0.1:4100/ppsecure/post.srf')).toBe('allow')
    expect(local('http://127.0.0.1:4100/oauth20_desktop.srf#access_token=t')).toBe('redirect')
    expect(local('http://127.0.0.1:4200/other')).toBe('deny')
    expect(local('http://192.168.1.2:4100/')).toBe('deny')
    // A non-loopback http start page has no allowed pages at all.
    const plain = signInNavigationPolicy({ startUrl: 'http://login.example.com/', redirectPrefix: 'https://x/' })
    expect(plain('http://login.example.com/')).toBe('deny')
  })

  it('grants no permission', () => {
    for (const p of ['notifications', 'media', 'geolocation', 'clipboard-read', 'fullscreen', 'openExternal', 'unknown'])
      expect(signInPermission(p)).toBe(false)
  })
})
