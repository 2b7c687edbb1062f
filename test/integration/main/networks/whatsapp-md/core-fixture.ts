// One multi-device reference server and a Core linked to it by QR, as the Core-level md tests
// (media, app state, groups) need it: start the server, arrange what must exist before linking
// (a group), then link and get the harness.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import type { LoginStep } from '../../../../../src/shared/api'
import { whatsappNetwork } from '../../../../../src/main/networks/whatsapp'
import { createHarness, type Harness } from '../../../../helpers/core-harness'
import { waitFor } from '../../../../helpers/events'
import { startWhatsAppMdServer, type WhatsAppMdServerControls } from '../../../../servers/whatsapp-md'
import { mdClientConfig } from '../../../../servers/whatsapp-md/sandbox'

/** The account's own phone number. */
export const PHONE = '15551234567'
const FAST = { initialPreKeys: 30, reconnectBaseMs: 20, reconnectMaxMs: 200, requestTimeoutMs: 5_000 }

export class MdCoreFixture {
  private server: WhatsAppMdServerControls | undefined
  private harness: Harness | undefined
  private dir: string | undefined

  async start(prefix: string): Promise<WhatsAppMdServerControls> {
    this.dir = mkdtempSync(join(tmpdir(), prefix))
    return (this.server = await startWhatsAppMdServer({ stateDir: this.dir }))
  }

  /** Adds the account by QR (the phone scans the payload Core shows) and waits until the login is done; `extra` adds client settings. */
  async link(extra: Record<string, unknown> = {}): Promise<Harness> {
    const s = this.server!
    const harness = (this.harness = await createHarness({
      networks: () => [whatsappNetwork],
      core: { networkConfig: { whatsapp: { md: mdClientConfig(s, { ...FAST, ...extra }) } } }
    }))
    const qr = waitFor(harness.core.events, 'login', (e) => e.step.kind === 'qr')
    const { loginId } = await harness.core.handlers.startLogin({ network: 'whatsapp', methodId: 'qr' })
    const done = waitFor(harness.core.events, 'login', (e) => e.loginId === loginId && (e.step.kind === 'done' || e.step.kind === 'failed'), 10_000)
    await s.scan(((await qr).step as Extract<LoginStep, { kind: 'qr' }>).payload, PHONE)
    expect((await done).step.kind).toBe('done')
    return harness
  }

  async close(): Promise<void> {
    await this.harness?.close()
    await this.server?.close()
    if (this.dir) rmSync(this.dir, { recursive: true, force: true })
    this.harness = this.server = this.dir = undefined
  }
}
