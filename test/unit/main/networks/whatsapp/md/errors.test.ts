// spec §4.4 failures and §4.6 stream errors → typed errors with reasons → supervisor verdicts.

import { describe, expect, it } from 'vitest'
import { decodeBinaryNode } from '../../../../../../src/main/networks/whatsapp/md/binary'
import { parseWhatsAppMdConfig, WHATSAPP_ROOT_PUBLIC_KEY } from '../../../../../../src/main/networks/whatsapp/md/config'
import { classify, failureError, RestartRequired, streamError } from '../../../../../../src/main/networks/whatsapp/md/errors'
import { node } from '../../../../../../src/main/networks/whatsapp/md/stanza'

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'))

describe('stream errors and login failures', () => {
  it('515 (spec vector) reconnects; replaced goes offline; device_removed needs a login', () => {
    const restart = streamError(decodeBinaryNode(hex('00f8039d70ff82515f')))
    expect(restart).toBeInstanceOf(RestartRequired)
    expect(classify(restart).action).toBe('retry')
    const replaced = streamError(decodeBinaryNode(hex('00f8029df801f803ec0e04ec11')))
    expect(classify(replaced)).toEqual({ action: 'offline', reason: { code: 'signed-in-elsewhere' } })
    const removed = streamError(node('stream:error', { code: '401' }, [node('conflict', { type: 'device_removed' })]))
    expect(classify(removed)).toEqual({ action: 'needs-login', reason: { code: 'logged-out-remotely' } })
    expect(classify(streamError(node('stream:error', { code: '503' }))).action).toBe('retry')
  })

  it('failure reasons (spec §4.4, the 405 vector)', () => {
    const outdated = failureError(decodeBinaryNode(hex('00f805ee3cec2eff82405f3dfc03667263')))
    expect(classify(outdated)).toEqual({ action: 'offline', reason: { code: 'client-outdated' } })
    for (const reason of ['401', '403', '406']) expect(classify(failureError(node('failure', { reason }))).action).toBe('needs-login')
    expect(classify(failureError(node('failure', { reason: '402', expire: '3600' }))).reason.code).toBe('account-banned')
    expect(classify(failureError(node('failure', { reason: '503' }))).action).toBe('retry')
    expect(classify(failureError(node('failure', { reason: '400' }))).action).toBe('offline')
  })
})

describe('config', () => {
  it("defaults to the real service and WhatsApp's root key", () => {
    const c = parseWhatsAppMdConfig({})
    expect(c.wsUrl).toBe('wss://web.whatsapp.com/ws/chat')
    expect(Buffer.from(c.noiseRootPublicKey).toString('hex')).toBe(WHATSAPP_ROOT_PUBLIC_KEY)
    expect(c.version).toEqual({ primary: 2, secondary: 3000, tertiary: 1035194821 })
  })

  it('takes a test root, a version and a clock, and refuses bad values', () => {
    const c = parseWhatsAppMdConfig({
      noiseRootPublicKey: new Uint8Array(32).fill(1),
      clientVersion: '2.3000.1045649367',
      clock: () => 42,
      legacyKey: 'ignored'
    })
    expect(c.noiseRootPublicKey[0]).toBe(1)
    expect(c.version.tertiary).toBe(1045649367)
    expect(c.nowSeconds()).toBe(42)
    expect(() => parseWhatsAppMdConfig({ noiseRootPublicKey: 'abcd' })).toThrow(/noiseRootPublicKey/)
    expect(() => parseWhatsAppMdConfig({ wsUrl: 'http://x' })).toThrow(/wsUrl/)
  })
})
