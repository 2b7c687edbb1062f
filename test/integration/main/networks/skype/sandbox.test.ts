// The Skype sandbox a person runs with `npm run sandbox`: its phone page writes as Alice's
// contacts, and what it writes reaches an account signed in through the sign-in page.

import type { Browser } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SandboxNetwork } from '../../../../servers/sandbox-types'
import { startSkypeSandbox } from '../../../../servers/skype/sandbox'
import { ALICE } from '../../../../servers/skype/users'
import { launchChromium } from '../../../../helpers/browser'
import { createHarness, type Harness } from '../../../../helpers/core-harness'
import { waitFor } from '../../../../helpers/events'
import { addAccountWithBrowser } from './harness'

let sandbox: SandboxNetwork
let browser: Browser
let h: Harness

beforeAll(async () => {
  sandbox = await startSkypeSandbox()
  browser = await launchChromium()
  h = await createHarness({ networks: () => [sandbox.definition], core: { networkConfig: { skype: sandbox.config } } })
})

afterAll(async () => {
  await h?.close()
  await browser?.close()
  await sandbox?.close()
})

describe('the Skype sandbox', () => {
  it('tells a person how to sign in and lists who they can write as', async () => {
    expect(sandbox.id).toBe('skype')
    expect(sandbox.phone.scan).toBeUndefined()
    expect(sandbox.phone.help().join('\n')).toContain(`${ALICE.email} / ${ALICE.password}`)
    const chats = await sandbox.phone.chats()
    expect(chats.map((c) => c.id)).toEqual(['bob', 'carol', expect.stringMatching(/^19:[0-9a-f]{32}@thread\.skype$/)])
  })

  it('delivers what the phone writes, emotes and group messages included', async () => {
    await addAccountWithBrowser(h.core, browser)
    const text = waitFor(h.core.events, 'message', (m) => m.text === 'written on the phone', 10_000)
    await sandbox.phone.sendAs('carol', 'written on the phone')
    expect(await text).toMatchObject({ senderName: 'Carol Jones', kind: 'text' })

    const thread = (await sandbox.phone.chats())[2]!.id
    const emote = waitFor(h.core.events, 'message', (m) => m.kind === 'emote' && m.text === 'waves at the team', 10_000)
    await sandbox.phone.sendAs(thread, '/me waves at the team')
    const m = await emote
    expect((await h.core.handlers.getChat({ chatId: m.chatId })).title).toBe('Sandbox team')
  })
})
