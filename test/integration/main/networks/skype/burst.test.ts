// Issue 11 point 3: 50 messages sent as fast as Enter can be pressed in one Skype chat,
// with typing frames between them, through Core's Api. Checked at the reference server,
// which rejects a stale Registration with 715 (spec §5.4) and rotates the cookie on every
// PNG: all 50 arrive, in order, exactly once, and each is shown `sent` only after the
// server had taken that very message.

import type { Browser } from 'playwright'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Message } from '../../../../../src/shared/model'
import { clientMessageIdFor } from '../../../../../src/main/networks/skype/crypto'
import { launchChromium } from '../../../../helpers/browser'
import type { StoredMessage } from '../../../../servers/skype/records'
import { addAccountWithBrowser, chatIdOf, startSkypeHarness, type SkypeHarness } from './harness'

const BURST = 50

let browser: Browser
let s: SkypeHarness | null = null

beforeAll(async () => {
  browser = await launchChromium()
})

afterEach(async () => {
  await s?.close()
  s = null
})

afterAll(async () => {
  await browser?.close()
})

// The grace for an older cookie is unknown (spec §5.4): the server accepts the latest two (one
// rotation in flight), or only the latest, where any overlap of exchanges at all is caught; and
// over loopback or with a network's round trip, where many more exchanges are in flight at once.
describe.each([
  { cookieWindow: 2, latencyMs: 0 },
  { cookieWindow: 1, latencyMs: 0 },
  { cookieWindow: 2, latencyMs: 5 }
])('a burst of 50 messages in one Skype chat (latest $cookieWindow cookie(s) accepted, $latencyMs ms latency)', ({ cookieWindow, latencyMs }) => {
  it('reaches the contact 50/50, in order, exactly once, each shown sent only after the server took it', async () => {
    // A keep-alive every second, as the server asks, so keep-alives land inside the burst too.
    const started = await startSkypeHarness({ server: { seed: true, pingWaitSec: 1, cookieWindow, latencyMs }, config: { pingIntervalSec: 1 } })
    s = started
    await addAccountWithBrowser(started.core, browser)
    const chatId = await chatIdOf(started.core, '8:bob.smith')
    const clientIds = Array.from({ length: BURST }, (_, i) => `burst-${i}`)
    const ours = new Set(clientIds.map(clientMessageIdFor))

    // What the server took from Alice, in the order it took it (duplicates included: route() drops them after this).
    const taken: string[] = []
    const rejected: string[] = []
    started.server.world.events.on('sdg', (e: { user: string; clientMessageId?: string }) => {
      if (e.user === 'alice' && e.clientMessageId && ours.has(e.clientMessageId)) taken.push(e.clientMessageId)
    })
    started.server.world.events.on('registration-rejected', (e: { user: string; command: string }) => {
      if (e.user === 'alice') rejected.push(e.command)
    })

    const shownSentEarly: string[] = []
    const failed: Message[] = []
    const sent = new Set<string>()
    const allSettled = new Promise<void>((resolve) => {
      started.core.events.on('message', (m) => {
        if (!m.clientId || !clientIds.includes(m.clientId)) return
        if (m.status === 'failed') failed.push(m)
        if (m.status === 'sent' && !sent.has(m.clientId)) {
          if (!taken.includes(clientMessageIdFor(m.clientId))) shownSentEarly.push(m.clientId)
          sent.add(m.clientId)
        }
        if (sent.size + failed.length >= BURST) resolve()
      })
    })

    // Enter pressed 50 times without waiting for any send, as the composer does it (Composer.tsx):
    // the first key of a line sends typing, Enter sends stopped-typing and then the message.
    // Each line is its own event (an IPC message), so the loop yields one macrotask between
    // lines and server replies land between them, as they would.
    const accepted: Promise<Message>[] = []
    for (const [i, clientId] of clientIds.entries()) {
      void started.core.handlers.setTyping({ chatId, typing: true })
      void started.core.handlers.setTyping({ chatId, typing: false })
      accepted.push(started.core.handlers.sendMessage({ chatId, clientId, draft: { kind: 'text', text: `burst ${i}` } }))
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect(new Set((await Promise.all(accepted)).map((m) => m.id)).size).toBe(BURST)
    await allSettled

    expect(failed.map((m) => `${m.clientId}: ${m.error}`)).toEqual([])
    expect(shownSentEarly).toEqual([])
    // Bob's inbox: every message once, in the order it was typed.
    const inbox = started.server.inbox('bob').filter((m: StoredMessage) => m.body.startsWith('burst '))
    expect(inbox.map((m) => m.body)).toEqual(clientIds.map((_, i) => `burst ${i}`))
    expect(inbox.map((m) => m.clientMessageId)).toEqual(clientIds.map(clientMessageIdFor))
    // Whatever the server saw twice (a resend after a rejected Registration) it kept once.
    expect([...new Set(taken)]).toEqual(clientIds.map(clientMessageIdFor))
    // In Junction: one row per message, all sent.
    const rows = (await started.core.handlers.listMessages({ chatId, limit: 200 })).messages.filter((m) => m.clientId && clientIds.includes(m.clientId))
    expect(rows).toHaveLength(BURST)
    expect(rows.every((m) => m.status === 'sent')).toBe(true)
    // The typing frames reached the server as well; none of them was sent with a stale cookie.
    expect(rejected).toEqual([])
  })
})
