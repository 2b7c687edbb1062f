// Issue 16 point 5: the sandbox's Messenger account — the MSNP18 reference server is the
// default server of the "Messenger (revival service)" sign-in, and its contacts answer what
// Alice writes (typing first) and nudge her — and the server on a state dir resumes the
// account after a restart without a new sign-in.

import { afterEach, describe, expect, it } from 'vitest'
import { createHarness, tempDir, type Harness } from '../../../../../helpers/core-harness'
import { waitFor } from '../../../../../helpers/events'
import { startMsnp18Server } from '../../../../../servers/skype/msnp18/server'
import { ALICE18 } from '../../../../../servers/skype/msnp18/world'
import { startSkypeSandbox, type SkypeSandbox } from '../../../../../servers/skype/sandbox'
import { messengerConnector, messengerLogin, QUICK } from './harness'

let sandbox: SkypeSandbox | null = null
let h: Harness | null = null

afterEach(async () => {
  await h?.close()
  await sandbox?.close()
  h = null
  sandbox = null
})

describe('the sandbox Messenger account', () => {
  it('signs in with the server left empty; Bob types, answers and nudges', async () => {
    sandbox = await startSkypeSandbox()
    expect(sandbox.phone.help().join('\n')).toContain(`${ALICE18.email} / ${ALICE18.password}`)
    h = await createHarness({ networks: () => [sandbox!.definition], core: { networkConfig: { skype: { ...sandbox.config, ...QUICK } } } })
    const { loginId } = await h.core.handlers.startLogin({
      network: 'skype',
      methodId: 'messenger',
      fields: { email: ALICE18.email, password: ALICE18.password, server: '' }
    })
    const done = (await waitFor(h.core.events, 'login', (e) => e.loginId === loginId && (e.step.kind === 'done' || e.step.kind === 'failed'), 15_000)).step
    expect(done.kind).toBe('done')

    // A chat with Bob appears when he writes first (from the phone page).
    const hello = waitFor(h.core.events, 'message', (m) => m.text === 'Hello from the phone', 10_000)
    await sandbox.phone.sendAs('bob@example.com', 'Hello from the phone')
    const chatId = (await hello).chatId

    const typing = waitFor(h.core.events, 'typing', (t) => t.chatId === chatId && t.typing, 10_000)
    const answer = waitFor(h.core.events, 'message', (m) => m.chatId === chatId && !m.fromMe && m.text.includes('you wrote \u201cHow are you?\u201d'), 10_000)
    await h.core.handlers.sendMessage({ chatId, clientId: 'sb-1', draft: { kind: 'text', text: 'How are you?' } })
    await typing
    expect((await answer).senderName).toBe('Bob B.')

    const nudge = waitFor(h.core.events, 'message', (m) => m.chatId === chatId && m.kind === 'system', 10_000)
    await h.core.handlers.sendMessage({ chatId, clientId: 'sb-2', draft: { kind: 'text', text: 'nudge me' } })
    expect((await nudge).text).toBe('Bob B. sent a nudge.')
  })
})

describe('the MSNP18 server on a state dir', () => {
  it('lets the Connector restore the account after a restart, without a new sign-in', async () => {
    const dir = tempDir('junction-msnp18-')
    try {
      const first = await startMsnp18Server({ stateDir: dir.path })
      const signedIn = messengerConnector(first.config())
      const { credentials } = await messengerLogin(signedIn, { email: ALICE18.email, password: ALICE18.password })
      await signedIn.connector.close()
      await first.close()

      const again = await startMsnp18Server({ stateDir: dir.path })
      try {
        expect(again.restored).toBe(true)
        const restored = messengerConnector(again.config())
        await restored.connector.restore(credentials, {})
        await restored.probe.next('status', (e) => e.status.state === 'online', 10_000)
        expect(again.endpoints(ALICE18.email)).toHaveLength(1)
        await restored.connector.close()
      } finally {
        await again.close()
      }
    } finally {
      dir.remove()
    }
  })
})
