// Issue 11 point 8: the reference server keeps its state (pairings with their tokens,
// contacts, chats, messages, media) under a state dir, so a restarted sandbox resumes the
// account without a new scan.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { SimulatedPhone } from '../../../../servers/whatsapp/phone'
import { WhatsAppServer } from '../../../../servers/whatsapp/server'
import { ALICE, BOB, mediaBytes, pairConnector, probe, startWorld, synced, type Probe } from './fixture'

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAAEElEQVR4nGP4z8DwH4QZGAAi9QL+yJxv8gAAAABJRU5ErkJggg==', 'base64')

const cleanup: (() => Promise<void> | void)[] = []

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

describe('WhatsApp reference server state', () => {
  it('resumes a paired session after a restart on the same state dir, without a new scan', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'wa-state-'))
    cleanup.push(() => rmSync(stateDir, { recursive: true, force: true }))
    const first = await startWorld({ stateDir })
    const p: Probe = probe(first.server)
    const { credentials } = await pairConnector(p, first.phone)
    await synced(p.connector)
    const picture = first.phone.sendImageAs(BOB, PNG, { mime: 'image/png', width: 2, height: 1 })
    await p.next('message', (e) => e.message.remoteId === picture.id)
    const sent = await p.connector.send(BOB, 'before-restart', { kind: 'text', text: 'said before the restart' })
    const cursors = Object.fromEntries(p.of('cursor').map((c) => [c.name, c.value]))
    await p.connector.close()
    await first.server.close()

    const server = await WhatsAppServer.start({ stateDir })
    cleanup.push(() => server.close())
    expect(server.restored).toBe(true)
    const phone = new SimulatedPhone(server, server.accounts.get(ALICE)!)
    const q = probe(server)
    cleanup.push(() => q.connector.close())
    // The saved credentials (rotated tokens included, as Core keeps them) still log in: no QR.
    await q.connector.restore({ ...credentials, ...(p.of('credentials').at(-1)?.credentials ?? {}) }, cursors)
    expect(q.of('status').map((e) => e.status.state)).toEqual(['connecting', 'online'])
    expect(server.notes.filter((n) => n.kind === 'paired' || n.kind === 'login').map((n) => n.kind)).toEqual(['login'])
    const sync = await synced(q.connector)
    expect(sync.chats.map((c) => c.title).sort()).toEqual(['Bob Builder', 'Team'])
    expect(phone.messages(BOB).some((m) => m.id === sent.remoteId && m.fromWeb)).toBe(true)
    const history = await q.connector.history(BOB, null, 10)
    expect(history.map((m) => m.text)).toContain('said before the restart')
    expect((await mediaBytes(await q.connector.fetchMedia(BOB, picture.id))).equals(PNG)).toBe(true)
    const m = phone.sendAs(BOB, 'after the restart')
    await q.next('message', (e) => e.message.remoteId === m.id)
  })
})
