// Issue 11 point 8: the reference server keeps its world under a state folder, so that a
// restarted sandbox (server and app) resumes the LINE account without a new login: the
// saved token still works, the operation stream resumes from the saved revision, and
// messages go both ways.

import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { tempDir, type Harness } from '../../../../helpers/core-harness'
import { eventually, waitFor } from '../../../../helpers/events'
import { LinePhone } from '../../../../servers/line/phone'
import { startLineSandbox } from '../../../../servers/line/sandbox'
import { startLineServer, type LineServer } from '../../../../servers/line/server'
import { addLineAccount, chatByRemote, lineHarness, messageIn, messagesOf } from './core-helpers'
import { lineContext, qrLoginAs, testable } from './helpers'
import { LineConnector } from '../../../../../src/main/networks/line'
import { silentLogger } from '../../../../../src/main/base/log'

const dirs: Array<{ remove(): void }> = []
const servers: LineServer[] = []
let h: Harness | undefined

afterEach(async () => {
  await h?.close()
  h = undefined
  await Promise.all(servers.splice(0).map((s) => s.close()))
  for (const d of dirs.splice(0)) d.remove()
})

async function server(stateDir: string, port = 0): Promise<LineServer> {
  const s = await startLineServer({ stateDir, port, ssePingMs: 200, sseWindowMs: 10_000, legacyPollMs: 2_000 })
  servers.push(s)
  return s
}

describe('LINE reference server restart (issue 11 point 8)', () => {
  it('resumes the account on a server restarted on the same state folder, without a new login', async () => {
    const state = tempDir('line-state-')
    const data = tempDir('line-data-')
    dirs.push(state, data)
    const first = await server(state.path)
    expect(first.restored).toBe(false)
    const alice = first.world.addUser({ displayName: 'Alice', email: 'alice@example.com', password: 'pw', sealing: true, extraKeys: 1 })
    const bob = first.world.addUser({ displayName: 'Bob', sealing: true })
    first.world.befriend(alice.mid, bob.mid)
    await new LinePhone(first, alice.mid).sendAs(bob.mid, 'before the restart')
    h = await lineHarness(first, {}, data.path)
    const accountId = await addLineAccount(h.core, new LinePhone(first, alice.mid))
    const chat = await chatByRemote(h.core, bob.mid)
    await messageIn(h.core, chat.id, (m) => m.text === 'before the restart')
    await h.close()
    h = undefined
    await first.close()
    servers.splice(servers.indexOf(first), 1)
    expect(existsSync(join(state.path, 'line-world.json'))).toBe(true)

    // The whole sandbox again: a new server process state from disk (on a new port), a new Core on the same profile.
    const second = await server(state.path)
    expect(second.restored).toBe(true)
    expect(second.world.user(alice.mid).displayName).toBe('Alice')
    const logins: string[] = []
    h = await lineHarness(second, {}, data.path)
    const off = h.core.events.on('login', (e) => logins.push(e.step.kind))
    await eventually(async () => (await h!.core.handlers.listAccounts()).find((a) => a.id === accountId)?.status.state === 'online', 10_000)
    expect((await h.core.handlers.listAccounts()).map((a) => a.id)).toEqual([accountId])

    // Both ways, on the restarted server, with the Letter Sealing keys both sides kept.
    const phone = new LinePhone(second, alice.mid)
    await phone.sendAs(bob.mid, 'after the restart')
    await messageIn(h.core, chat.id, (m) => m.text === 'after the restart')
    const sent = waitFor(h.core.events, 'message', (m) => m.clientId === 'after-restart' && m.status === 'sent', 10_000)
    await h.core.handlers.sendMessage({ chatId: chat.id, clientId: 'after-restart', draft: { kind: 'text', text: 'still here' } })
    await sent
    const stored = second.world.messages.filter((m) => m.from === alice.mid).at(-1)!
    expect(phone.open(stored, bob.mid)).toEqual({ text: 'still here' })
    off()
    expect(logins).toEqual([])
    // No login call reached the restarted server, and nothing arrived twice.
    expect(second.world.requests.some((r) => /createSession|qrCodeLoginV2|loginV2/.test(r.path))).toBe(false)
    expect((await messagesOf(h.core, chat.id)).filter((m) => m.text === 'before the restart')).toHaveLength(1)
  }, 30_000)

  it('keeps the session while the server is down and reconnects when it is back, from where it left off', async () => {
    const state = tempDir('line-state-')
    dirs.push(state)
    const first = await server(state.path)
    const alice = first.world.addUser({ displayName: 'Alice', sealing: true })
    const carol = first.world.addUser({ displayName: 'Carol', sealing: false })
    first.world.befriend(alice.mid, carol.mid)
    const t = testable(new LineConnector(lineContext(first.config(), silentLogger)))
    await qrLoginAs(t, new LinePhone(first, alice.mid))
    await new LinePhone(first, alice.mid).sendAs(carol.mid, 'one')
    await t.waitFor('message', (e) => e.message.text === 'one')

    const port = Number(new URL(first.url).port)
    t.events.length = 0
    await first.close()
    servers.splice(servers.indexOf(first), 1)
    // The supervisor says why and when it tries again; nothing asks for a login.
    const down = await t.waitFor('status', (e) => e.status.state === 'reconnecting' && e.status.reason?.code === 'unreachable')
    expect(down.status.retryAt).toBeGreaterThan(0)

    const second = await server(state.path, port)
    await new LinePhone(second, alice.mid).sendAs(carol.mid, 'two')
    await t.waitFor('status', (e) => e.status.state === 'online', 10_000)
    await t.waitFor('message', (e) => e.message.text === 'two', 10_000)
    expect(t.events.some((e) => e.type === 'status' && e.status.state === 'needs-login')).toBe(false)
    expect(t.events.filter((e) => e.type === 'message' && e.message.text === 'one')).toHaveLength(0)
    await t.connector.close()
  }, 30_000)

  it('the sandbox seeds its world once and resumes it on the next start', async () => {
    const state = tempDir('line-sandbox-')
    dirs.push(state)
    const first = await startLineSandbox({ stateDir: state.path })
    const owner = first.linePhone.ownerMid
    const seeded = first.server.world.messages.length
    expect(seeded).toBeGreaterThan(0)
    await first.close()
    const second = await startLineSandbox({ stateDir: state.path })
    try {
      expect(second.server.restored).toBe(true)
      expect(second.linePhone.ownerMid).toBe(owner)
      expect(second.server.world.messages).toHaveLength(seeded)
      expect((await second.phone.chats()).length).toBeGreaterThan(0)
    } finally {
      await second.close()
    }
  })
})
