// The Skype Connector's contract at its edges: the network definition, a bad setting,
// unknown methods and calls while not connected all give typed errors, never a throw
// from a constructor or an untyped failure.

import { describe, expect, it } from 'vitest'
import { SkypeConnector, skypeNetwork } from '../../../../../src/main/networks/skype'
import { classifySkypeError, msnpCodeOf, msnpError, signedInElsewhere } from '../../../../../src/main/networks/skype/errors'
import { JunctionError } from '../../../../../src/shared/errors'
import { loginIO, skypeContext } from './context'

const io = loginIO()

async function first<T>(stream: AsyncIterable<T>): Promise<T | undefined> {
  for await (const item of stream) return item
  return undefined
}

describe('skypeNetwork', () => {
  it('offers the Microsoft sign-in page first, and a password for MSNP21 servers', () => {
    expect(skypeNetwork.id).toBe('skype')
    expect(skypeNetwork.loginMethods[0]).toEqual({ id: 'browser', kind: 'browser' })
    expect(skypeNetwork.loginMethods[1]).toMatchObject({ id: 'passport', kind: 'credentials' })
    expect(skypeNetwork.capabilities).toMatchObject({
      typing: true,
      emotes: true,
      edits: true,
      groups: true,
      presence: true,
      sendImages: true,
      sendFiles: true
    })
    expect(skypeNetwork.brand).toEqual({ color: '#0a78d4', mark: 'S' })
    expect(skypeNetwork.loginMethods[1]!.fields!.every((f) => f.label)).toBe(true)
  })

  it('offers only the sign-in that can work with the configured dialect (spec §4.3), and Messenger with either', () => {
    const ids = (config: Record<string, unknown>) => skypeNetwork.loginMethodsFor!(skypeContext(config)).map((m) => m.id)
    // The real service (MSNP24) signs in through Microsoft's page only: a password there always failed.
    expect(ids({})).toEqual(['browser', 'messenger'])
    expect(ids({ msnpDialect: 'msnp21' })).toEqual(['passport', 'messenger'])
    // A setting that cannot be read is the setup problem's to report; the dialog still lists every method.
    expect(ids({ msnpPort: 'nope' })).toEqual(['browser', 'passport', 'messenger'])
  })

  it('names a bad setting as its setup problem and still creates a Connector that fails typed', async () => {
    const context = skypeContext({ msnpPort: 'nope' })
    expect(skypeNetwork.setupProblem(context)).toMatchObject({
      code: 'setup-required',
      params: { what: 'skype-settings', detail: expect.stringMatching(/msnpPort/) }
    })
    const connector = skypeNetwork.create(context)
    await expect(connector.restore({}, {})).rejects.toMatchObject({ code: 'unsupported', message: expect.stringMatching(/msnpPort/) })
    expect(skypeNetwork.setupProblem(skypeContext({}))).toBeNull()
  })
})

describe('SkypeConnector', () => {
  it('refuses an unknown login method and a password login against MSNP24', async () => {
    const connector = new SkypeConnector(skypeContext({}))
    await expect(connector.login({ methodId: 'qr', fields: {}, previous: null }, io)).rejects.toMatchObject({ code: 'invalid-argument' })
    await expect(connector.login({ methodId: 'passport', fields: { email: 'a@b.c', password: 'x' }, previous: null }, io)).rejects.toMatchObject({
      code: 'unsupported'
    })
  })

  it('says it is not connected instead of failing untyped', async () => {
    const connector = new SkypeConnector(skypeContext({}))
    await expect(connector.send('8:bob', 'c1', { kind: 'text', text: 'hi' })).rejects.toMatchObject({ code: 'unavailable' })
    await expect(connector.setTyping('8:bob', true)).rejects.toMatchObject({ code: 'unavailable' })
    await expect(first(connector.sync())).rejects.toMatchObject({ code: 'unavailable' })
    await expect(connector.fetchMedia('8:bob', '8:bob/1')).rejects.toMatchObject({ code: 'unavailable' })
    await expect(connector.restore({ v: 1, method: 'browser' }, {})).rejects.toMatchObject({ code: 'auth-failed' })
    await connector.close()
  })
})

describe('MSNP error codes (spec §12.2, §12.4)', () => {
  it('maps each family to the typed error a caller branches on', () => {
    const cases: [number, string, boolean][] = [
      [911, 'auth-failed', false],
      [922, 'auth-failed', false],
      [915, 'auth-failed', false],
      [217, 'rejected', false],
      [540, 'protocol', false],
      [715, 'protocol', false],
      [733, 'conflict', false],
      [800, 'rate-limited', true],
      [604, 'unavailable', true],
      [910, 'unavailable', true],
      [650, 'unavailable', true],
      [999, 'rejected', false]
    ]
    for (const [code, kind, retryable] of cases) {
      const e = msnpError(code, 'reason text')
      expect(e, String(code)).toBeInstanceOf(JunctionError)
      expect({ code: e.code, retryable: e.retryable }, String(code)).toEqual({ code: kind, retryable })
      expect(e.detail).toBe(`MSNP ${code}: reason text`)
      expect(msnpCodeOf(e)).toBe(code)
    }
    expect(msnpError(733)).toMatchObject({ message: 'Signed in elsewhere', reason: { code: 'signed-in-elsewhere' } })
    expect(msnpError(922).reason).toEqual({ code: 'session-expired' })
  })

  it('tells the supervisor what an ended session means', () => {
    expect(classifySkypeError(signedInElsewhere())).toEqual({ action: 'offline', reason: { code: 'signed-in-elsewhere' } })
    expect(classifySkypeError(msnpError(911))).toEqual({ action: 'needs-login', reason: { code: 'credentials-refused' } })
    expect(classifySkypeError(msnpError(604))).toMatchObject({ action: 'retry', reason: { code: 'server-unavailable' } })
    expect(classifySkypeError(msnpError(715))).toMatchObject({ action: 'retry', reason: { code: 'protocol-error' } })
    expect(classifySkypeError(msnpError(540))).toEqual({ action: 'offline', reason: { code: 'client-outdated' } })
    expect(classifySkypeError(new Error('ECONNRESET'))).toMatchObject({ action: 'retry', reason: { code: 'unreachable' } })
  })
})
