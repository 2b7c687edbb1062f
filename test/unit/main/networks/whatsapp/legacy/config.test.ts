// The Connector's settings: real-service defaults, validation with a clear message.

import { describe, expect, it } from 'vitest'
import { configProblem, parseConfig } from '../../../../../../src/main/networks/whatsapp/legacy/config'
import { whatsappNetwork } from '../../../../../../src/main/networks/whatsapp'
import { silentLogger } from '../../../../../../src/main/base/log'
import type { ConnectorContext } from '../../../../../../src/main/networks/connector'

describe('WhatsApp config', () => {
  it('defaults to the real WhatsApp Web endpoint and production timings', () => {
    const c = parseConfig({})
    expect(c).toMatchObject({
      url: 'wss://web.whatsapp.com/ws',
      origin: 'https://web.whatsapp.com',
      mediaHost: null,
      requestTimeoutMs: 20_000,
      keepAliveIntervalMs: 20_000,
      linkLostAfterMs: 27_000,
      reconnectBaseMs: 1_000
    })
    expect(c.version).toEqual([2, 2147, 14])
  })

  it('takes overrides and refuses wrong shapes with a message naming the key', () => {
    expect(parseConfig({ url: 'ws://127.0.0.1:1/ws', mediaHost: 'http://127.0.0.1:1', keepAliveIntervalMs: 50 })).toMatchObject({
      mediaHost: 'http://127.0.0.1:1',
      keepAliveIntervalMs: 50
    })
    expect(() => parseConfig({ url: 'http://example.org' })).toThrowError(
      expect.objectContaining({ code: 'invalid-argument', message: expect.stringContaining('url') })
    )
    expect(() => parseConfig({ keepAliveIntervalMs: -1 })).toThrowError(/keepAliveIntervalMs/)
    expect(() => parseConfig({ unknownKey: 1 })).toThrowError(/not valid/)
    expect(configProblem({ origin: 'nope' })).toEqual({ code: 'setup-required', params: { what: 'settings', detail: 'origin' } })
    expect(configProblem({})).toBeNull()
  })

  it('the network definition reports a bad config as a setup problem', () => {
    const context = (config: Record<string, unknown>): ConnectorContext => ({
      config,
      log: silentLogger,
      keyStore: { get: () => null, list: () => [], commit: () => {} },
      connectivity: { onOnline: () => () => {} }
    })
    expect(whatsappNetwork.setupProblem(context({ url: 5 }))).toMatchObject({ code: 'setup-required', params: { detail: 'url' } })
    expect(whatsappNetwork.setupProblem(context({}))).toBeNull()
    expect(whatsappNetwork.loginMethods).toEqual([
      { id: 'qr', kind: 'qr', label: 'Link with a QR code' },
      { id: 'phone-code', kind: 'credentials', label: 'Link with a phone number', hint: 'WhatsApp shows a code to type on your phone instead of a QR code.' },
      { id: 'legacy-qr', kind: 'qr', label: 'WhatsApp Web, legacy protocol' }
    ])
    expect(whatsappNetwork.brand).toEqual({ color: '#1f9d55', mark: 'W' })
  })
})
