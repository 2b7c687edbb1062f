// Linking with a phone number instead of a QR (spec §5.6) against the reference server: the
// login asks for the number (an `input` step), shows the 8-character code (a `pin` step),
// the simulated phone takes the code, both sides derive the new adv secret, and pairing ends
// like a QR scan (pair-success, 515, login). A wrong code never links.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../../../../src/main/base/log'
import { WhatsAppConnector } from '../../../../../src/main/networks/whatsapp'
import { testContext } from '../../../../helpers/connector-probe'
import { startWhatsAppMdServer, type WhatsAppMdServerControls } from '../../../../servers/whatsapp-md'
import { mdClientConfig } from '../../../../servers/whatsapp-md/sandbox'
import { eventually, MemoryKeyStore, RecordingIO } from './harness'

const PHONE = '15551234567'
const SELF = `${PHONE}@s.whatsapp.net`
const BOB = '15557654321'

/** A LoginIO that answers `input` steps from a list. */
class AnsweringIO extends RecordingIO {
  constructor(private readonly answers: Array<Record<string, string>>) {
    super()
  }

  override waitForInput(): Promise<Record<string, string>> {
    const next = this.answers.shift()
    return next ? Promise.resolve(next) : new Promise(() => {})
  }

  pin(): string | undefined {
    for (const s of this.steps) if (s.kind === 'pin') return s.pin
    return undefined
  }
}

let dir: string
let server: WhatsAppMdServerControls
let connector: WhatsAppConnector
let keyStore: MemoryKeyStore

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wamd-code-'))
  server = await startWhatsAppMdServer({ stateDir: dir })
  keyStore = new MemoryKeyStore()
  connector = new WhatsAppConnector(
    testContext(
      { md: mdClientConfig(server, { initialPreKeys: 30, reconnectBaseMs: 20, requestTimeoutMs: 5_000 }) },
      createLogger(() => {}, 'error'),
      { keyStore }
    )
  )
})

afterEach(async () => {
  await connector.close()
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('WhatsApp multi-device phone-number pairing', () => {
  it('asks for the number, shows the code, and links once the phone takes it', async () => {
    const io = new AnsweringIO([{ phone: 'call me' }, { phone: '+1 (555) 123-4567' }])
    const login = connector.login({ methodId: 'phone-code', fields: {}, previous: null }, io)
    const code = await eventually('the code', () => io.pin())
    expect(code).toMatch(/^[1-9A-HJ-NP-TV-Z]{4}-[1-9A-HJ-NP-TV-Z]{4}$/)
    // The number was asked first, and asked again (with an error) after a wrong answer.
    const inputs = io.steps.filter((s) => s.kind === 'input')
    expect(io.steps[0]).toMatchObject({ kind: 'input', fields: [{ name: 'phone', kind: 'phone' }] })
    expect(inputs).toHaveLength(2)
    expect(inputs[1]).toMatchObject({ error: { code: 'credentials-refused' } })
    expect(io.qrs()).toEqual([])
    expect(server.hub.pairingCode.nonces).toEqual(['text:0'])

    expect(await server.enterPairingCode(PHONE, code)).toEqual({ jid: `${PHONE}:1@s.whatsapp.net` })
    const result = await login
    expect(result.selfId).toBe(SELF)
    await server.contact(BOB).sendText(SELF, 'hi after a code')
    await eventually('the message', () => keyStore.messages().some((m) => m.text === 'hi after a code'))
  })

  it('takes the number from the request and never links with a wrong code', async () => {
    const io = new AnsweringIO([])
    const login = connector.login({ methodId: 'phone-code', fields: { phone: PHONE }, previous: null }, io)
    login.catch(() => {})
    const code = await eventually('the code', () => io.pin())
    expect(io.steps.some((s) => s.kind === 'input')).toBe(false)
    const wrong = code.startsWith('1') ? `2${code.slice(1)}` : `1${code.slice(1)}`
    await expect(server.enterPairingCode(PHONE, wrong)).rejects.toThrow()
    // The phone could not open the key bundle and refused companion_finish: the login fails, nothing is linked.
    await expect(login).rejects.toMatchObject({ code: 'auth-failed', reason: { code: 'credentials-refused' } })
    expect(server.hub.world.account(PHONE).companions).toHaveLength(0)
  })
})
