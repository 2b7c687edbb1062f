// Keeping a Skype (MSNP24) session up: a socket dropped mid-conversation, a restart with
// messages waiting, retries that must not double a message, error codes as typed errors,
// XFR redirects, the rotating Registration cookie and its renewal after 715, token refresh
// before expiry, a revoked sign-in, and OUT OTH (signed in elsewhere) without a reconnect loop.

import type { Browser } from 'playwright'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Message } from '../../../../../src/shared/model'
import { JunctionError } from '../../../../../src/shared/errors'
import { clientMessageIdFor } from '../../../../../src/main/networks/skype/crypto'
import { launchChromium } from '../../../../helpers/browser'
import { eventually, waitFor } from '../../../../helpers/events'
import { accountStatus, addAccountWithBrowser, chatIdOf, recordStatuses, startSkypeHarness, type SkypeHarness } from './harness'

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

const serverEvent = <T>(harness: SkypeHarness, name: string, predicate: (e: T) => boolean = () => true): Promise<T> =>
  new Promise((resolve) => {
    const on = (e: T): void => {
      if (!predicate(e)) return
      harness.server.world.events.off(name, on)
      resolve(e)
    }
    harness.server.world.events.on(name, on)
  })

async function rowsWithText(harness: SkypeHarness, chatRemoteId: string, text: string): Promise<Message[]> {
  const chatId = await chatIdOf(harness.core, chatRemoteId)
  return (await harness.core.handlers.listMessages({ chatId, limit: 200 })).messages.filter((m) => m.text === text)
}

describe('a dropped connection', () => {
  it('reconnects with back-off and loses and doubles nothing, in either direction', async () => {
    s = await startSkypeHarness()
    const accountId = await addAccountWithBrowser(s.core, browser)
    const statuses = recordStatuses(s.core, accountId)
    const first = waitFor(s.core.events, 'message', (m) => m.text === 'before the drop', 10_000)
    s.server.peer('bob').say('alice', 'before the drop')
    const chatId = (await first).chatId

    // A message in flight when the socket dies: delivered and ACKed, or requeued by the server and delivered again.
    s.server.peer('bob').say('alice', 'in flight')
    const reconnecting = accountStatus(s.core, accountId, (st) => st.state === 'reconnecting')
    s.server.dropConnections('alice')
    expect((await reconnecting).retryAt).toBeGreaterThan(0)

    // While Alice is away, Bob writes and Alice sends; both arrive once she is back.
    s.server.peer('bob').say('alice', 'while you were gone')
    const mine = await s.core.handlers.sendMessage({ chatId, clientId: 'c-during-drop', draft: { kind: 'text', text: 'sent while reconnecting' } })
    const back = accountStatus(s.core, accountId, (st) => st.state === 'online')
    const arrived = waitFor(s.core.events, 'message', (m) => m.text === 'while you were gone', 10_000)
    await Promise.all([back, arrived])
    await waitFor(s.core.events, 'message', (m) => m.id === mine.id && m.status === 'sent', 10_000).catch(async () => {
      const current = (await s!.core.handlers.listMessages({ chatId, limit: 200 })).messages.find((m) => m.id === mine.id)
      if (current?.status !== 'sent') throw new Error(`own message is ${current?.status}`)
    })

    // One more round trip, so anything redelivered has been handled before counting.
    const marker = waitFor(s.core.events, 'message', (m) => m.text === 'marker', 10_000)
    s.server.peer('bob').say('alice', 'marker')
    await marker
    expect(await rowsWithText(s, '8:bob.smith', 'in flight')).toHaveLength(1)
    expect(await rowsWithText(s, '8:bob.smith', 'while you were gone')).toHaveLength(1)
    expect(s.server.inbox('bob').filter((m) => m.body === 'sent while reconnecting')).toHaveLength(1)
    expect(statuses.map((st) => st.state)).toEqual(expect.arrayContaining(['reconnecting', 'online']))
  })
})

describe('a restart', () => {
  it('restores the session without a sign-in and delivers what arrived meanwhile', async () => {
    s = await startSkypeHarness()
    let signIns = 0
    s.server.world.events.on('signed-in', () => signIns++)
    await addAccountWithBrowser(s.core, browser)
    const gone = serverEvent(s, 'logout')
    await s.h.core.close()
    await gone
    s.server.peer('bob').say('alice', 'left while you were offline')
    expect(s.server.world.offlineCount('alice')).toBe(1)
    await s.h.restart()
    const [delivered] = await eventually(
      async () => (await rowsWithText(s!, '8:bob.smith', 'left while you were offline'))[0] && rowsWithText(s!, '8:bob.smith', 'left while you were offline'),
      10_000
    )
    expect(delivered).toMatchObject({ fromMe: false, senderName: 'Bob Smith' })
    expect(signIns).toBe(1)
    expect(s.server.world.offlineCount('alice')).toBe(0)
  })

  it('asks for a new sign-in when Microsoft no longer accepts the saved one', async () => {
    s = await startSkypeHarness()
    const accountId = await addAccountWithBrowser(s.core, browser)
    await s.h.core.close()
    s.server.world.oauthTokens.clear()
    s.server.world.refreshTokens.clear()
    const core = await s.h.restart()
    const [account] = await core.handlers.listAccounts()
    expect(account).toMatchObject({ id: accountId, status: { state: 'needs-login' } })
  })
})

describe('sending', () => {
  it('puts the client id on the wire, so sending the same draft twice is one message', async () => {
    s = await startSkypeHarness()
    const accountId = await addAccountWithBrowser(s.core, browser)
    const connector = s.core.accounts.onlineConnector(accountId)!
    const first = await connector.send('8:bob.smith', 'c-retry', { kind: 'text', text: 'only once' })
    const again = await connector.send('8:bob.smith', 'c-retry', { kind: 'text', text: 'only once' })
    expect(again.remoteId).toBe(first.remoteId)
    // A later message proves the server has handled both copies.
    await connector.send('8:bob.smith', 'c-after', { kind: 'text', text: 'after' })
    expect(s.server.inbox('bob').filter((m) => m.body === 'only once')).toHaveLength(1)
    expect(s.server.inbox('bob').find((m) => m.body === 'only once')?.clientMessageId).toBe(clientMessageIdFor('c-retry'))
  })

  it('turns an error code into a typed error', async () => {
    s = await startSkypeHarness()
    const accountId = await addAccountWithBrowser(s.core, browser)
    const connector = s.core.accounts.onlineConnector(accountId)!
    s.server.world.failNextSdg = 217
    const failure = await connector.send('8:bob.smith', 'c-offline', { kind: 'text', text: 'nobody home' }).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(JunctionError)
    expect(failure).toMatchObject({ code: 'rejected', detail: expect.stringMatching(/^MSNP 217/) })
    await expect(connector.send('8:nobody.here', 'c-unknown', { kind: 'text', text: '?' })).rejects.toMatchObject({
      code: 'rejected',
      detail: expect.stringMatching(/^MSNP 205/)
    })
    // The session is still good.
    await connector.send('8:bob.smith', 'c-fine', { kind: 'text', text: 'fine' })
    expect(s.server.inbox('bob').at(-1)?.body).toBe('fine')
  })
})

describe('the session itself', () => {
  it('follows an XFR redirect and presents the redirect state in CNT', async () => {
    s = await startSkypeHarness({ server: { redirect: true } })
    const cnt = serverEvent<{ state: string | null }>(s, 'cnt', (e) => e.state !== null)
    await addAccountWithBrowser(s.core, browser)
    expect((await cnt).state).toMatch(/^[0-9a-f]{24}$/)
  })

  it('keeps working while the server rotates the Registration cookie on every PNG', async () => {
    s = await startSkypeHarness({ server: { pingWaitSec: 1 }, config: { pingIntervalSec: 1 } })
    const accountId = await addAccountWithBrowser(s.core, browser)
    await serverEvent(s, 'png')
    await serverEvent(s, 'png')
    const connector = s.core.accounts.onlineConnector(accountId)!
    await connector.send('8:bob.smith', 'c-cookie', { kind: 'text', text: 'with the latest cookie' })
    expect(s.server.inbox('bob').at(-1)?.body).toBe('with the latest cookie')
  })

  it('renews a Registration the server stopped accepting (715) and sends the message again under the same client id', async () => {
    s = await startSkypeHarness()
    const accountId = await addAccountWithBrowser(s.core, browser)
    const statuses = recordStatuses(s.core, accountId)
    const connector = s.core.accounts.onlineConnector(accountId)!
    const refused: string[] = []
    s.server.world.events.on('registration-rejected', (e: { user: string; command: string }) => e.user === 'alice' && refused.push(e.command))
    const renewed = serverEvent<{ renewal: boolean }>(s, 'bnd', (e) => e.renewal)
    s.server.expireRegistration('alice')
    await connector.send('8:bob.smith', 'c-renewed', { kind: 'text', text: 'after a renewal' })
    await renewed
    expect(refused[0]).toBe('SDG MSGR')
    expect(
      s.server
        .inbox('bob')
        .filter((m) => m.body === 'after a renewal')
        .map((m) => m.clientMessageId)
    ).toEqual([clientMessageIdFor('c-renewed')])

    // A typing signal refused for its cookie (no one waits on it) marks the cookie stale; the next exchange renews it first.
    refused.length = 0
    const renewedAgain = serverEvent<{ renewal: boolean }>(s, 'bnd', (e) => e.renewal)
    s.server.expireRegistration('alice')
    const typingRefused = serverEvent(s, 'registration-rejected')
    await connector.setTyping('8:bob.smith', true)
    await typingRefused
    // Bob's message is pushed after the 715, so once Junction has it, it has read the 715 too.
    const fromBob = waitFor(s.core.events, 'message', (m) => m.text === 'after your typing', 10_000)
    s.server.peer('bob').say('alice', 'after your typing')
    await fromBob
    await connector.send('8:bob.smith', 'c-after-typing', { kind: 'text', text: 'after a refused signal' })
    await renewedAgain
    expect(refused).toEqual(['SDG MSGR'])
    expect(s.server.inbox('bob').at(-1)).toMatchObject({ body: 'after a refused signal', clientMessageId: clientMessageIdFor('c-after-typing') })
    // All on the same connection: no reconnect.
    expect(statuses).toEqual([])
  })

  it('refreshes tokens before they expire and presents the new ticket on the live session', async () => {
    s = await startSkypeHarness({ server: { tokenLifetimeSec: 4 } })
    const reAth = serverEvent(s, 'ath')
    const accountId = await addAccountWithBrowser(s.core, browser)
    await reAth
    const refreshed = serverEvent<{ scope: string }>(s, 'token', (e) => e.scope === 'service::ssl.live.com::MBI_SSL')
    const secondAth = serverEvent(s, 'ath')
    await refreshed
    await secondAth
    const [account] = await s.core.handlers.listAccounts()
    expect(account).toMatchObject({ id: accountId, status: { state: 'online' } })
  })
})

describe('an expired ticket', () => {
  it('refreshes the ticket and authenticates again on the same connection after error 922', async () => {
    s = await startSkypeHarness()
    const accountId = await addAccountWithBrowser(s.core, browser)
    const statuses = recordStatuses(s.core, accountId)
    const refreshed = serverEvent<{ scope: string }>(s, 'token', (e) => e.scope === 'service::ssl.live.com::MBI_SSL')
    const reAth = serverEvent(s, 'ath')
    s.server.sendError('alice', 922)
    await Promise.all([refreshed, reAth])
    const connector = s.core.accounts.onlineConnector(accountId)!
    await connector.send('8:bob.smith', 'c-after-922', { kind: 'text', text: 'still here' })
    expect(s.server.inbox('bob').at(-1)?.body).toBe('still here')
    expect(statuses).toEqual([])
  })
})

describe('signed in elsewhere', () => {
  it('treats being signed out by another endpoint like OUT OTH', async () => {
    s = await startSkypeHarness()
    const accountId = await addAccountWithBrowser(s.core, browser)
    const statuses = recordStatuses(s.core, accountId)
    const offline = accountStatus(s.core, accountId, (st) => st.state === 'offline')
    s.server.signOutRemotely('alice')
    expect(await offline).toEqual({ state: 'offline', reason: { code: 'signed-in-elsewhere' } })
    expect(statuses.map((st) => st.state)).toEqual(['offline'])
  })

  it('goes offline with the reason and does not reconnect', async () => {
    s = await startSkypeHarness()
    const accountId = await addAccountWithBrowser(s.core, browser)
    const statuses = recordStatuses(s.core, accountId)
    const offline = accountStatus(s.core, accountId, (st) => st.state === 'offline')
    const gone = serverEvent(s, 'logout')
    s.server.signInElsewhere('alice')
    expect(await offline).toEqual({ state: 'offline', reason: { code: 'signed-in-elsewhere' } })
    await gone
    // A reconnect would have been scheduled (and announced) in the same turn as the status.
    expect(statuses.map((st) => st.state)).toEqual(['offline'])
    expect(s.server.world.endpointsOf('alice')).toEqual([])
  })
})
