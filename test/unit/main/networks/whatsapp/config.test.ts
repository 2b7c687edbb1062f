// The WhatsApp settings split per protocol: flat keys for the legacy protocol (its strict
// schema never sees the multi-device keys), `md` for multi-device, whose endpoint and trust
// anchor default to WhatsApp's real ones.

import { describe, expect, it } from 'vitest'
import { legacyConfigOf, mdConfigOf, whatsappConfigProblem } from '../../../../../src/main/networks/whatsapp/config'
import { parseConfig } from '../../../../../src/main/networks/whatsapp/legacy/config'
import { parseWhatsAppMdConfig, WHATSAPP_ROOT_PUBLIC_KEY } from '../../../../../src/main/networks/whatsapp/md/config'

const ROOT = 'ab'.repeat(32)

describe('WhatsApp settings per protocol', () => {
  it('gives each protocol only its own keys, so both strict parsers accept a mixed config', () => {
    const config = { url: 'ws://127.0.0.1:1/ws', requestTimeoutMs: 500, md: { wsUrl: 'ws://127.0.0.1:2/ws/chat', noiseRootPublicKey: ROOT } }
    expect(legacyConfigOf(config)).toEqual({ url: 'ws://127.0.0.1:1/ws', requestTimeoutMs: 500 })
    expect(parseConfig(legacyConfigOf(config)).url).toBe('ws://127.0.0.1:1/ws')
    const md = parseWhatsAppMdConfig(mdConfigOf(config))
    expect(md.wsUrl).toBe('ws://127.0.0.1:2/ws/chat')
    expect(Buffer.from(md.noiseRootPublicKey).toString('hex')).toBe(ROOT)
    // The legacy keys never leak into md, and md's never into legacy's strict schema.
    expect(md.requestTimeoutMs).toBe(20_000)
    expect(whatsappConfigProblem(config)).toBeNull()
  })

  it("defaults multi-device to WhatsApp's real endpoint and root key", () => {
    const md = parseWhatsAppMdConfig(mdConfigOf({}))
    expect(md.wsUrl).toBe('wss://web.whatsapp.com/ws/chat')
    expect(Buffer.from(md.noiseRootPublicKey).toString('hex')).toBe(WHATSAPP_ROOT_PUBLIC_KEY)
    expect(mdConfigOf({ md: 'nope' })).toEqual({})
  })

  it('names the protocol and key of a bad setting', () => {
    expect(whatsappConfigProblem({ md: { wsUrl: 'http://x' } })).toEqual({ code: 'setup-required', params: { what: 'settings', detail: 'md.wsUrl' } })
    expect(whatsappConfigProblem({ md: { noiseRootPublicKey: 'short' } })).toMatchObject({ params: { detail: 'md.noiseRootPublicKey' } })
    expect(whatsappConfigProblem({ md: 7 })).toMatchObject({ params: { detail: 'md' } })
    expect(whatsappConfigProblem({ origin: 'nope' })).toMatchObject({ params: { detail: 'origin' } })
  })
})
