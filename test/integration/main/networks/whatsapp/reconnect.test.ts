// Connection loss (spec §1.4, §10.3): back off with `reconnecting` + retryAt, restore, and
// catch up on what arrived while offline (history "after" the chat's cursor), so no
// message is lost or reported twice; a relay whose ack was lost is deduplicated on retry.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Credentials } from '../../../../../src/main/networks/connector'
import type { SimulatedPhone } from '../../../../servers/whatsapp/phone'
import type { WhatsAppServer } from '../../../../servers/whatsapp/server'
import { BOB, CAROL, pairConnector, probe, startWorld, synced, TEAM, type Probe } from './fixture'

let server: WhatsAppServer
let phone: SimulatedPhone
let p: Probe
let credentials: Credentials

beforeEach(async () => {
  ;({ server, phone } = await startWorld())
  p = probe(server)
  ;({ credentials } = await pairConnector(p, phone))
  await synced(p.connector)
})

afterEach(async () => {
  await p.connector.close()
  await server.close()
})

const messageIds = (q: Probe): string[] => q.of('message').map((e) => e.message.remoteId)

describe('WhatsApp reconnect', () => {
  it('reconnects after a dropped socket and catches up on messages sent meanwhile, each once', async () => {
    const before = phone.sendAs(BOB, 'before the drop')
    await p.next('message', (e) => e.message.remoteId === before.id)
    const online = p.of('status').length
    server.dropAll()
    const reconnecting = await p.next('status', (e) => e.status.state === 'reconnecting')
    expect(reconnecting.status.retryAt).toBeGreaterThan(Date.now() - 1_000)
    // Nobody is connected now: these wait on the phone.
    const missed = [phone.sendAs(BOB, 'while offline 1'), phone.sendAs(BOB, 'while offline 2'), phone.sendAs(TEAM, 'group while offline', CAROL)]
    await p.after('status', (e) => e.status.state === 'online')
    for (const m of missed) await p.next('message', (e) => e.message.remoteId === m.id)
    await synced(p.connector)
    const ids = messageIds(p)
    for (const m of [before, ...missed]) expect(ids.filter((id) => id === m.id)).toHaveLength(1)
    // Caught up from the cursor of each chat, not from the start.
    const after = server.stats.historyQueries.filter((q) => q.kind === 'after')
    expect(after.map((q) => [q.chat, q.index]).sort()).toEqual(
      [
        [BOB, before.id],
        [TEAM, phone.messages(TEAM).at(-2)!.id]
      ].sort()
    )
    // The supervisor reports the wait (with retryAt) and the attempt, then online.
    expect(
      p
        .of('status')
        .slice(online)
        .map((e) => e.status.state)
    ).toEqual(['reconnecting', 'reconnecting', 'online'])
    // The cursor moved to the newest message of each chat.
    expect(
      p
        .of('cursor')
        .filter((c) => c.name === `chat:${BOB}`)
        .at(-1)?.value
    ).toContain(missed[1]!.id)
  })

  it('holds live pushes until the catch-up is out, so messages arrive in order', async () => {
    server.dropAll()
    await p.next('status', (e) => e.status.state === 'reconnecting')
    const missed = phone.sendAs(BOB, 'missed')
    await p.after('status', (e) => e.status.state === 'online')
    const live = phone.sendAs(BOB, 'live')
    await p.next('message', (e) => e.message.remoteId === live.id)
    const ids = messageIds(p)
    expect(ids.indexOf(missed.id)).toBeLessThan(ids.indexOf(live.id))
  })

  it('declares the link lost when keep-alives go unanswered, then reconnects', async () => {
    server.script.silent = true
    await p.next('status', (e) => e.status.state === 'reconnecting', 5_000)
    server.script.silent = false
    await p.after('status', (e) => e.status.state === 'online', 5_000)
    expect(p.logs.some((l) => l.message.includes('link lost'))).toBe(true)
    const m = phone.sendAs(BOB, 'still here')
    await p.next('message', (e) => e.message.remoteId === m.id)
  })

  it('retries a send whose ack was lost with the same id; the server keeps one message', async () => {
    server.script.dropOnNextRelay = true
    const back = p.after('status', (e) => e.status.state === 'online')
    await expect(p.connector.send(BOB, 'lost-ack', { kind: 'text', text: 'did it arrive?' })).rejects.toMatchObject({ code: 'network', retryable: true })
    await back
    const retry = await p.connector.send(BOB, 'lost-ack', { kind: 'text', text: 'did it arrive?' })
    expect(server.stats.duplicateRelays).toBe(1)
    expect(phone.messages(BOB).filter((m) => m.id === retry.remoteId)).toHaveLength(1)
  })

  it('resumes from saved cursors after a restart: only what is new arrives', async () => {
    const seen = phone.sendAs(BOB, 'seen before the restart')
    await p.next('message', (e) => e.message.remoteId === seen.id)
    const cursors = Object.fromEntries(p.of('cursor').map((c) => [c.name, c.value]))
    await p.connector.close()
    const missed = phone.sendAs(BOB, 'sent while Junction was closed')
    const q = probe(server)
    try {
      await q.connector.restore(credentials, cursors)
      await synced(q.connector)
      const ids = messageIds(q)
      expect(ids.filter((id) => id === missed.id)).toHaveLength(1)
      expect(ids).not.toContain(seen.id)
    } finally {
      await q.connector.close()
    }
  })

  it('falls back to the newest page when the cursor message is gone', async () => {
    const q = probe(server)
    try {
      const m = phone.sendAs(BOB, 'new one')
      await q.connector.restore(credentials, { [`chat:${BOB}`]: `${(m.timestamp - 1) * 1000}|0|DEADBEEF` })
      await synced(q.connector)
      expect(messageIds(q).filter((id) => id === m.id)).toHaveLength(1)
      expect(server.stats.historyQueries.filter((h) => h.kind === 'before' && h.index === null)).toHaveLength(1)
    } finally {
      await q.connector.close()
    }
  })
})
