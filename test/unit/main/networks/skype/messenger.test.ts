// The "Messenger (revival service)" sign-in at its edges (issue 16 point 3): the method comes
// after the existing ones and says what it is; the server field defaults to msnp18.md §8's
// public endpoints and reads `host[:port]`; bad input gives typed errors; the saved shape
// keeps the server and dialect.

import { describe, expect, it } from 'vitest'
import { skypeNetwork, SkypeConnector } from '../../../../../src/main/networks/skype'
import { parseSkypeConfig } from '../../../../../src/main/networks/skype/config'
import { readCredentials } from '../../../../../src/main/networks/skype/credentials'
import { parseMessengerServer } from '../../../../../src/main/networks/skype/login/flows'
import { loginIO, skypeContext } from './context'

describe('the Messenger login method', () => {
  it('comes after the Microsoft page and the MSNP21 password, and says that Skype is gone', () => {
    expect(skypeNetwork.loginMethods.map((m) => m.id)).toEqual(['browser', 'passport', 'messenger'])
    const m = skypeNetwork.loginMethods[2]!
    expect(m).toMatchObject({ kind: 'credentials', label: 'Messenger (revival service)' })
    expect(m.hint).toMatch(/Skype itself was shut down on 5 May 2025/)
    expect(m.fields!.map((f) => [f.name, f.kind, f.optional ?? false])).toEqual([
      ['email', 'email', false],
      ['password', 'password', false],
      ['server', 'text', true]
    ])
    expect(m.fields!.every((f) => f.label)).toBe(true)
  })

  it('defaults to the public revival service of msnp18.md §8', () => {
    const c = parseSkypeConfig({})
    expect([c.messengerHost, c.messengerPort, c.messengerServicesUrl]).toEqual(['msnmsgr.escargot.chat', 1863, 'https://msnmsgr.escargot.chat'])
  })

  it('reads the server field as host[:port], with the HTTP services on https://host', () => {
    expect(parseMessengerServer('')).toBeUndefined()
    expect(parseMessengerServer('  ')).toBeUndefined()
    expect(parseMessengerServer('msnmsgr.escargot.chat')).toEqual({ host: 'msnmsgr.escargot.chat', port: 1863, servicesUrl: 'https://msnmsgr.escargot.chat' })
    expect(parseMessengerServer('M1.Escargot.Chat:1864')).toEqual({ host: 'm1.escargot.chat', port: 1864, servicesUrl: 'https://m1.escargot.chat' })
    expect(parseMessengerServer('https://example.org/')).toEqual({ host: 'example.org', port: 1863, servicesUrl: 'https://example.org' })
    for (const bad of ['host:0', 'host:70000', 'a b', 'host/path', 'user@host', 'host:12a', '\u0000']) {
      expect(() => parseMessengerServer(bad), bad).toThrow(expect.objectContaining({ code: 'invalid-argument' }))
    }
  })

  it('refuses empty or malformed fields with typed errors before connecting', async () => {
    const connector = new SkypeConnector(skypeContext({}))
    const login = (fields: Record<string, string>): Promise<unknown> => connector.login({ methodId: 'messenger', fields, previous: null }, loginIO())
    await expect(login({ email: 'nope', password: 'x' })).rejects.toMatchObject({ code: 'invalid-argument' })
    await expect(login({ email: 'a@b.c', password: '' })).rejects.toMatchObject({ code: 'invalid-argument' })
    await expect(login({ email: 'a@b.c', password: 'x', server: 'bad server' })).rejects.toMatchObject({ code: 'invalid-argument' })
    await connector.close()
  })

  it('saves the server and the dialect, and reads them back', () => {
    const saved = {
      v: 1,
      method: 'messenger',
      selfId: '1:alice@example.com',
      email: 'alice@example.com',
      displayName: 'alice',
      epid: 'f8b0a7c2-1d2e-4f3a-9b4c-5d6e7f8a9b0c',
      deviceId: 'Skype-1234567890',
      password: 'pw',
      server: { host: 'example.org', port: 1863, servicesUrl: 'https://example.org' },
      dialect: 'msnp18'
    }
    expect(readCredentials(saved)).toEqual(saved)
    expect(() => readCredentials({ ...saved, dialect: 'msnp99' })).toThrow(expect.objectContaining({ reason: { code: 'credentials-damaged' } }))
  })
})
