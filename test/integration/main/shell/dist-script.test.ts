// `npm run dist`'s invocation of electron-builder: the current platform, nothing published,
// signing and notarization off unless asked for through the environment.
import { describe, expect, it } from 'vitest'
// @ts-expect-error: a plain ESM script without types
import { distInvocation } from '../../../../scripts/dist.mjs'

describe('npm run dist', () => {
  it('builds for the platform it runs on and publishes nothing', () => {
    expect(distInvocation({}, 'linux').args).toEqual(['--linux', '--publish', 'never'])
    expect(distInvocation({}, 'win32').args).toEqual(['--win', '--publish', 'never'])
    expect(distInvocation({}, 'darwin').args).toEqual(['--mac', '--publish', 'never', '-c.mac.identity=null'])
    expect(() => distInvocation({}, 'aix')).toThrow(/not packaged for aix/)
  })

  it('does not sign by default, even with certificates in the environment', () => {
    const { env } = distInvocation({ CSC_LINK: '/secret/cert.p12', CSC_KEY_PASSWORD: 'pw', WIN_CSC_LINK: 'x', PATH: '/bin' }, 'win32')
    expect(env.CSC_IDENTITY_AUTO_DISCOVERY).toBe('false')
    expect(env.CSC_LINK).toBeUndefined()
    expect(env.CSC_KEY_PASSWORD).toBeUndefined()
    expect(env.WIN_CSC_LINK).toBeUndefined()
    expect(env.PATH).toBe('/bin')
  })

  it('signs with JUNCTION_SIGN=1 and notarizes with JUNCTION_NOTARIZE=1 and Apple credentials', () => {
    const signed = distInvocation({ JUNCTION_SIGN: '1', CSC_LINK: '/c.p12' }, 'darwin')
    expect(signed.args).toEqual(['--mac', '--publish', 'never'])
    expect(signed.env.CSC_LINK).toBe('/c.p12')
    expect(signed.env.CSC_IDENTITY_AUTO_DISCOVERY).toBeUndefined()
    expect(distInvocation({ JUNCTION_SIGN: '1', JUNCTION_NOTARIZE: '1', APPLE_ID: 'a@b' }, 'darwin').args).toContain('-c.mac.notarize=true')
    expect(() => distInvocation({ JUNCTION_NOTARIZE: '1', APPLE_ID: 'a@b' }, 'darwin')).toThrow(/JUNCTION_SIGN=1/)
    expect(() => distInvocation({ JUNCTION_SIGN: '1', JUNCTION_NOTARIZE: '1' }, 'darwin')).toThrow(/APPLE_ID/)
  })
})
