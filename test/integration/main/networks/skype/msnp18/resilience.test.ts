// The MSNP18 dialect when things go wrong or run long (msnp18.md §5.7, §6): switchboards
// dropped mid-conversation with nothing lost or duplicated, a 50-message burst, re-opening
// after the contact left or the conversation idled, CHL/QRY, PNG/QNG, "signed in
// elsewhere", RST.srf fallback and a server that does not serve MSNP18.

import { afterEach, describe, expect, it } from 'vitest'
import { JunctionError } from '../../../../../../src/shared/errors'
import { Session18 } from '../../../../../../src/main/networks/skype/msnp18/session'
import type { Msnp18Server } from '../../../../../servers/skype/msnp18/server'
import { startMsnp18Server } from '../../../../../servers/skype/msnp18/server'
import { ALICE_GUID, signIn, type Signed } from './harness'

let server: Msnp18Server | null = null
const sessions: Signed[] = []

async function start(options: Parameters<typeof startMsnp18Server>[0] = {}): Promise<Msnp18Server> {
  server = await startMsnp18Server(options)
  return server
}

afterEach(async () => {
  for (const s of sessions.splice(0)) s.session.close()
  await server?.close()
  expect(server?.errors ?? []).toEqual([])
  server = null
})

const text = (to: string, body: string) => ({ to, messageType: 'Text', contentType: 'text/plain', body })

/** What an outbox does with a retryable failure: the same message again. */
async function sendWithRetry(s: Session18, to: string, body: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      await s.sendMessaging(text(to, body))
      return attempt
    } catch (error) {
      if (!(error instanceof JunctionError) || !error.retryable || attempt >= 3) throw error
    }
  }
}

describe('MSNP18 switchboards that fail', () => {
  it('loses and duplicates nothing when the switchboard drops mid-conversation', async () => {
    const srv = await start()
    const alice = await signIn(srv)
    sessions.push(alice)
    const bob = srv.peer('bob@example.com')
    for (let i = 1; i <= 5; i++) await sendWithRetry(alice.session, '1:bob@example.com', `m${i}`)
    srv.dropSwitchboards('alice@example.com')
    for (let i = 6; i <= 10; i++) await sendWithRetry(alice.session, '1:bob@example.com', `m${i}`)
    // The connection carrying the next message dies before the server relays it: that send fails retryably and goes again.
    srv.dropOnMessage(1)
    const attempts = await sendWithRetry(alice.session, '1:bob@example.com', 'm11')
    expect(attempts).toBe(2)
    for (let i = 12; i <= 15; i++) await sendWithRetry(alice.session, '1:bob@example.com', `m${i}`)
    expect(bob.inbox('alice@example.com').map((r) => r.text)).toEqual(Array.from({ length: 15 }, (_, i) => `m${i + 1}`))
    expect(srv.counters.switchboards).toBe(3)
  })

  it('delivers a 50-message burst exactly once, in order, each resolved only after its ACK', async () => {
    const srv = await start()
    const alice = await signIn(srv)
    sessions.push(alice)
    const bob = srv.peer('bob@example.com')
    const order: number[] = []
    const sends = Array.from({ length: 50 }, (_, i) =>
      alice.session.sendMessaging(text('1:bob@example.com', `burst ${i}`)).then(() => {
        // Resolved only once the server relayed it (and ACKed it): it is in the contact's inbox by then.
        expect(bob.inbox('alice@example.com').some((r) => r.text === `burst ${i}`)).toBe(true)
        order.push(i)
      })
    )
    await Promise.all(sends)
    expect(bob.inbox('alice@example.com').map((r) => r.text)).toEqual(Array.from({ length: 50 }, (_, i) => `burst ${i}`))
    expect(order).toEqual(Array.from({ length: 50 }, (_, i) => i))
    expect(srv.counters.switchboards).toBe(1)
  })

  it('re-opens a switchboard after the contact left, and after it idled out', async () => {
    const srv = await start()
    const alice = await signIn(srv, { idleMs: 150 })
    sessions.push(alice)
    await alice.session.sendMessaging(text('1:bob@example.com', 'one'))
    srv.peer('bob@example.com').leave()
    // §5.7: with the last other participant gone, our side leaves too.
    await expect.poll(() => srv.sessionsWith('alice@example.com'), { timeout: 3_000 }).toBe(0)
    await alice.session.sendMessaging(text('1:bob@example.com', 'two'))
    expect(srv.counters.switchboards).toBe(2)
    // Idle: our side leaves after 150 ms; the server then has no session with alice in it.
    await expect.poll(() => srv.sessionsWith('alice@example.com'), { timeout: 3_000 }).toBe(0)
    await alice.session.sendMessaging(text('1:bob@example.com', 'three'))
    expect(srv.counters.switchboards).toBe(3)
    expect(
      srv
        .peer('bob@example.com')
        .inbox()
        .map((r) => r.text)
    ).toEqual(['one', 'two', 'three'])
  })
})

describe('MSNP18 session upkeep', () => {
  it('answers CHL so the server keeps the session (§6.2)', async () => {
    const srv = await start({ challenge: true })
    const alice = await signIn(srv)
    sessions.push(alice)
    await expect.poll(() => srv.endpoints('alice@example.com')[0]?.challengePending, { timeout: 3_000 }).toBe(false)
    await alice.session.sendMessaging(text('1:bob@example.com', 'still here'))
    expect(alice.rec.ended).toEqual([])
  })

  it('pings on the interval the server asks for (§6.1)', async () => {
    const srv = await start({ qngSec: 1 })
    const alice = await signIn(srv, { pingIntervalSec: 1 })
    sessions.push(alice)
    await expect.poll(() => srv.counters.pings, { timeout: 5_000 }).toBeGreaterThanOrEqual(3)
    expect(alice.rec.ended).toEqual([])
  })

  it('goes offline without reconnecting on OUT OTH (§6.3)', async () => {
    const srv = await start()
    const alice = await signIn(srv)
    sessions.push(alice)
    srv.signInElsewhere('alice@example.com')
    expect(await alice.rec.waitFor<{ kind: string }>('ended', () => true)).toEqual({ kind: 'elsewhere' })
  })

  it('is booted by a second login with the same machine GUID, not by one with another GUID (§2.8, §6.3)', async () => {
    const srv = await start()
    const first = await signIn(srv)
    sessions.push(first)
    const other = await signIn(srv, { guid: '11111111-2222-3333-4444-555555555555' })
    sessions.push(other)
    expect(first.rec.ended).toEqual([])
    const again = await signIn(srv, { guid: ALICE_GUID })
    sessions.push(again)
    expect(await first.rec.waitFor<{ kind: string }>('ended', () => true)).toEqual({ kind: 'elsewhere' })
    expect(other.rec.ended).toEqual([])
  })

  it('signs in through RST.srf when the server has no RST2.srf (§2.4)', async () => {
    const srv = await start({ rstOnly: true })
    const alice = await signIn(srv)
    sessions.push(alice)
    expect(alice.session.selfAddress).toBe('1:alice@example.com')
  })

  it('reports a server that does not serve MSNP18 as such, before signing in (§1.3)', async () => {
    const srv = await start({ versions: ['MSNP21'] })
    await expect(signIn(srv)).rejects.toMatchObject({ code: 'unsupported', detail: expect.stringMatching(/^dialect:/) })
  })
})

describe('MSNP18 version negotiation (§1.3)', () => {
  it('uses MSNP18 when offered with MSNP21 to a server that prefers 18, and names the choice of a server that prefers 21', async () => {
    const escargot = await start()
    const alice = await signIn(escargot, { offer: ['MSNP21', 'MSNP18'] })
    sessions.push(alice)
    expect(alice.session.dialect).toBe('msnp18')
    alice.session.close()
    await escargot.close()
    const newer = await start({ versions: ['MSNP21', 'MSNP18'] })
    await expect(signIn(newer, { offer: ['MSNP21', 'MSNP18'] })).rejects.toMatchObject({ code: 'unsupported', detail: 'dialect-chosen: MSNP21' })
  })
})
