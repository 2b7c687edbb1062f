// Issue 11 point 8: the reference server keeps its state (accounts, tokens, messages,
// offline queues, threads) under a state dir, written atomically, so restarting it, as a
// restart of `npm run sandbox` does, resumes the account without a new sign-in, as the
// real network would.

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { tempDir } from '../../../../helpers/core-harness'
import { waitFor } from '../../../../helpers/events'
import { launchChromium } from '../../../../helpers/browser'
import { startSkypeServer } from '../../../../servers/skype/server'
import { accountStatus, addAccountWithBrowser, chatIdOf, startSkypeHarness, type SkypeHarness } from './harness'

let browser: Browser

beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

async function online(s: SkypeHarness, accountId: string): Promise<void> {
  const later = accountStatus(s.core, accountId, (st) => st.state === 'online')
  const [account] = await s.core.handlers.listAccounts()
  if (account?.status.state !== 'online') await later
}

describe('the reference server on a state dir', () => {
  it('resumes the account after a restart, without a new sign-in, with its messages', async () => {
    const state = tempDir('junction-skype-state-')
    const profile = tempDir('junction-skype-profile-')
    onTestFinished(() => {
      state.remove()
      profile.remove()
    })
    const first = await startSkypeHarness({ server: { stateDir: state.path }, dataDir: profile.path })
    expect(first.server.restored).toBe(false)
    const accountId = await addAccountWithBrowser(first.core, browser)
    const before = waitFor(first.core.events, 'message', (m) => m.text === 'before the restart', 10_000)
    first.server.peer('bob').say('alice', 'before the restart')
    await before
    await first.close()

    // A new process: new ports, the same state dir and the same Junction profile.
    const second = await startSkypeHarness({ server: { stateDir: state.path }, dataDir: profile.path })
    onTestFinished(() => second.close())
    expect(second.server.restored).toBe(true)
    await online(second, accountId)
    expect(await second.core.handlers.listAccounts()).toEqual([expect.objectContaining({ id: accountId, status: { state: 'online' } })])
    expect(second.server.world.endpointsOf('alice')).toHaveLength(1)
    expect(second.server.world.log.map((m) => m.body)).toContain('before the restart')

    const chatId = await chatIdOf(second.core, '8:bob.smith')
    const sent = await second.core.handlers.sendMessage({ chatId, clientId: 'c-after-restart', draft: { kind: 'text', text: 'after the restart' } })
    await waitFor(second.core.events, 'message', (m) => m.id === sent.id && m.status === 'sent', 10_000)
    expect(second.server.inbox('bob').map((m) => m.body)).toEqual(['after the restart'])
    const reply = waitFor(second.core.events, 'message', (m) => m.text === 'welcome back', 10_000)
    second.server.peer('bob').say('alice', 'welcome back')
    await reply
    const texts = (await second.core.handlers.listMessages({ chatId, limit: 50 })).messages.map((m) => m.text)
    expect(texts.filter((t) => t === 'before the restart')).toHaveLength(1)
  })

  it('writes its state as whole JSON files, and sets an unreadable one aside instead of failing', async () => {
    const state = tempDir('junction-skype-state-')
    onTestFinished(() => state.remove())
    writeFileSync(join(state.path, 'world.json'), '{"v":1,"users":[')
    const server = await startSkypeServer({ stateDir: state.path })
    onTestFinished(() => server.close())
    expect(server.restored).toBe(false)
    expect(readdirSync(state.path).some((f) => f.startsWith('world.json.unreadable-'))).toBe(true)
    server.peer('bob').say('alice', 'kept')
    await server.close()
    expect(existsSync(join(state.path, 'world.json'))).toBe(true)
    expect(readdirSync(state.path).some((f) => f.endsWith('.tmp'))).toBe(false)
    const saved = JSON.parse(readFileSync(join(state.path, 'world.json'), 'utf8')) as { v: number; log: { body: string }[]; offline: [string, unknown[]][] }
    expect(saved.v).toBe(1)
    expect(saved.log.map((m) => m.body)).toContain('kept')
    // Alice was not signed in, so the message waits for her in the saved offline queue.
    expect(saved.offline.find(([key]) => key === 'alice')?.[1]).toHaveLength(1)
  })
})
