// `npm run sandbox`'s WhatsApp: multi-device by default with the reference server's root key
// as the trust anchor, the phone page's scan box taking the QR the app shows, and the state
// kept under the sandbox folder so a restart resumes without a rescan. The legacy method
// still works through the same sandbox and the same scan box.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../../../../src/main/base/log'
import type { Connector, ConnectorContext } from '../../../../../src/main/networks/connector'
import { testContext } from '../../../../helpers/connector-probe'
import { MD_OWNER, startWhatsAppMdSandbox, type WhatsAppMdSandbox } from '../../../../servers/whatsapp-md/sandbox'
import { eventually, MemoryKeyStore, RecordingIO } from './harness'

let dir: string | undefined
let sandbox: WhatsAppMdSandbox | undefined
const open: Connector[] = []

afterEach(async () => {
  for (const c of open.splice(0)) await c.close()
  await sandbox?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
  sandbox = dir = undefined
})

function create(s: WhatsAppMdSandbox, keyStore: MemoryKeyStore): { connector: Connector; context: ConnectorContext } {
  const context = testContext(
    { ...s.config },
    createLogger(() => {}, 'error'),
    { keyStore }
  )
  const connector = s.definition.create(context)
  open.push(connector)
  return { connector, context }
}

describe('the WhatsApp sandbox', () => {
  it('links multi-device by default from the phone page, and a restart resumes without a rescan', async () => {
    dir = mkdtempSync(join(tmpdir(), 'wamd-sandbox-'))
    sandbox = await startWhatsAppMdSandbox({ stateDir: dir })
    expect(sandbox.definition.loginMethods.map((m) => m.label)).toEqual(['Link with a QR code', 'Link with a phone number', 'WhatsApp Web, legacy protocol'])
    expect(
      sandbox.definition.setupProblem(
        testContext(
          sandbox.config,
          createLogger(() => {}, 'error')
        )
      )
    ).toBeNull()
    const keyStore = new MemoryKeyStore()
    const { connector } = create(sandbox, keyStore)
    const io = new RecordingIO()
    const login = connector.login({ methodId: sandbox.definition.loginMethods[0]!.id, fields: {}, previous: null }, io)
    expect(await sandbox.phone.scan!(await io.qr())).toContain(`${MD_OWNER}:`)
    const result = await login
    expect(result.credentials.protocol).toBe('md')
    // The phone's chats came with the history sync before the login finished.
    expect(new Set(keyStore.messages().map((m) => m.chat))).toEqual(new Set(['15550101@s.whatsapp.net', '15550102@s.whatsapp.net']))
    const chats = await sandbox.phone.chats()
    expect(chats.filter((c) => c.id.startsWith('md:')).map((c) => c.title)).toEqual(['Bob Builder (multi-device)', 'Carol Singer (multi-device)'])
    await connector.close()
    await sandbox.close()

    sandbox = await startWhatsAppMdSandbox({ stateDir: dir })
    const again = create(sandbox, keyStore).connector
    await again.restore(result.credentials, {})
    expect(sandbox.mdServer.hub.registrations.size).toBe(0)
    await sandbox.phone.sendAs('md:15550101', 'written on the phone page')
    await eventually('message after restart', () => keyStore.messages().find((m) => m.text === 'written on the phone page'))
    const sent = await again.send('15550101@s.whatsapp.net', 'sb-1', { kind: 'text', text: 'hi Bob' })
    await eventually('bob has it', () =>
      sandbox!.mdServer
        .contact('15550101')
        .received()
        .some((m) => m.id === sent.remoteId)
    )
  })

  it('still links the legacy protocol through the same scan box', async () => {
    sandbox = await startWhatsAppMdSandbox()
    const { connector } = create(sandbox, new MemoryKeyStore())
    const io = new RecordingIO()
    const login = connector.login({ methodId: 'legacy-qr', fields: {}, previous: null }, io)
    expect(await sandbox.phone.scan!(await io.qr())).toContain('Paired')
    const result = await login
    expect(result.selfId).toBe('15550100@c.us')
  })
})
