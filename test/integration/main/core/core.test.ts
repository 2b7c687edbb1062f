import { afterEach, describe, expect, it, onTestFinished } from 'vitest'
import type { LoginStep } from '../../../../src/shared/api'
import { FakeNetwork } from '../../../doubles/fake-network'
import { TEST_REDIRECT_PREFIX, testNetwork } from '../../../doubles/test-connector'
import { addAccountByQr, collect, createHarness, tempDir, type Harness } from '../../../helpers/core-harness'
import { eventually, waitFor } from '../../../helpers/events'

let h: Harness
afterEach(async () => h?.close())

function seededNetwork(): FakeNetwork {
  const net = new FakeNetwork({ qrTtlMs: 2_000 })
  net.addUser('alice@c.us', 'Alice', {
    chats: [
      {
        id: 'bob@c.us',
        title: 'Bob',
        messages: [
          ['bob@c.us', 'hi Alice'],
          ['alice@c.us', 'hi Bob']
        ]
      },
      { id: 'team@g.us', kind: 'group', title: 'Team', messages: [['carol@c.us', 'standup at 10']] }
    ]
  })
  return net
}

async function inboxTitles(h: Harness): Promise<string[]> {
  return (await h.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 50 })).chats.map((c) => c.title)
}

describe('adding an account', () => {
  it('walks the login steps from QR to done, then shows the chats', async () => {
    h = await createHarness({ net: seededNetwork() })
    const steps: LoginStep['kind'][] = []
    h.core.events.on('login', (e) => steps.push(e.step.kind))
    const accountId = await addAccountByQr(h.core, h.net, 'alice@c.us')
    expect(steps).toEqual(['progress', 'qr', 'progress', 'done'])
    const accounts = await h.core.handlers.listAccounts()
    expect(accounts).toMatchObject([{ id: accountId, network: 'whatsapp', selfId: 'alice@c.us', displayName: 'Alice', status: { state: 'online' } }])
    await eventually(async () => (await inboxTitles(h)).length === 2)
    expect(await inboxTitles(h)).toEqual(['Team', 'Bob'])
    expect(await h.core.handlers.listContacts({ accountId })).toMatchObject([{ remoteId: 'bob@c.us', name: 'Bob' }])
  })

  it('redraws the QR until the attempts run out, then fails with a clear message', async () => {
    const net = new FakeNetwork({ qrTtlMs: 60, maxQrAttempts: 3 })
    h = await createHarness({ net })
    const qrs = collect(h.core, 'login')
    const { loginId } = await h.core.handlers.startLogin({ network: 'whatsapp', methodId: 'qr' })
    const failed = await waitFor(h.core.events, 'login', (e) => e.loginId === loginId && e.step.kind === 'failed')
    const payloads = qrs.flatMap((e) => (e.step.kind === 'qr' ? [e.step] : []))
    expect(payloads.map((p) => p.attempt)).toEqual([1, 2, 3])
    expect(new Set(payloads.map((p) => p.payload)).size).toBe(3)
    expect(failed.step).toMatchObject({ kind: 'failed', error: { code: 'timeout', message: expect.stringContaining('scanned') } })
    expect(await h.core.handlers.listAccounts()).toEqual([])
  })

  it('can be cancelled while the QR is shown', async () => {
    h = await createHarness({ net: seededNetwork() })
    const qr = waitFor(h.core.events, 'login', (e) => e.step.kind === 'qr')
    const { loginId } = await h.core.handlers.startLogin({ network: 'whatsapp', methodId: 'qr' })
    await qr
    const failed = waitFor(h.core.events, 'login', (e) => e.loginId === loginId && e.step.kind === 'failed')
    await h.core.handlers.cancelLogin({ loginId })
    expect((await failed).step).toMatchObject({ error: { code: 'cancelled' } })
  })

  it('completes a browser sign-in with the redirect the page ended on', async () => {
    h = await createHarness({ net: seededNetwork() })
    const browser = waitFor(h.core.events, 'login', (e) => e.step.kind === 'browser')
    const { loginId } = await h.core.handlers.startLogin({ network: 'whatsapp', methodId: 'browser' })
    const step = (await browser).step as Extract<LoginStep, { kind: 'browser' }>
    const state = new URL(step.url).searchParams.get('state')!
    const fragment = h.net.approveBrowserLogin(state, 'alice@c.us')
    const done = waitFor(h.core.events, 'login', (e) => e.loginId === loginId && e.step.kind === 'done')
    await h.core.handlers.completeBrowserLogin({ loginId, redirectUrl: `${TEST_REDIRECT_PREFIX}#${fragment}` })
    await done
    expect(await h.core.handlers.listAccounts()).toHaveLength(1)
  })

  it('opens the sign-in window (Electron) with the origins the network named, and completes from its redirect', async () => {
    const opened: Array<{ url: string; redirectPrefix: string; extraOrigins: readonly string[] | undefined }> = []
    const net = seededNetwork()
    h = await createHarness({
      net,
      core: {
        authBrowser: {
          open: async (url, redirectPrefix, _signal, extraOrigins) => {
            opened.push({ url, redirectPrefix, extraOrigins })
            const state = new URL(url).searchParams.get('state')!
            return `${redirectPrefix}#${net.approveBrowserLogin(state, 'alice@c.us')}`
          }
        }
      }
    })
    const steps = collect(h.core, 'login')
    const { loginId } = await h.core.handlers.startLogin({ network: 'whatsapp', methodId: 'browser' })
    await eventually(() => steps.find((e) => e.loginId === loginId && e.step.kind === 'done'))
    expect(opened).toEqual([
      { url: expect.stringContaining('https://fake.invalid/authorize'), redirectPrefix: TEST_REDIRECT_PREFIX, extraOrigins: ['https://login.fake.invalid'] }
    ])
  })

  it('reports a refused password as a typed failure and stores nothing', async () => {
    h = await createHarness({ net: seededNetwork() })
    // Steps may arrive before the request's reply: collect from the start, as the renderer's store does.
    const steps = collect(h.core, 'login')
    const { loginId } = await h.core.handlers.startLogin({ network: 'whatsapp', methodId: 'password', fields: { email: 'alice@c.us', password: 'wrong' } })
    const failed = await eventually(() => steps.find((e) => e.loginId === loginId && e.step.kind === 'failed'))
    expect(failed.step).toMatchObject({ error: { code: 'auth-failed', message: 'The e-mail or password is not right.' } })
    expect(await h.core.handlers.listAccounts()).toEqual([])
  })

  it('refuses a login method the network does not have, or missing fields', async () => {
    h = await createHarness({ net: seededNetwork() })
    await expect(h.core.handlers.startLogin({ network: 'whatsapp', methodId: 'carrier-pigeon' })).rejects.toMatchObject({ code: 'invalid-argument' })
    await expect(h.core.handlers.startLogin({ network: 'whatsapp', methodId: 'password', fields: { email: 'x' } })).rejects.toMatchObject({
      code: 'invalid-argument'
    })
    await expect(h.core.handlers.startLogin({ network: 'line', methodId: 'qr' })).rejects.toMatchObject({ code: 'unsupported' })
  })

  it('never writes a token into the database file or the log', async () => {
    h = await createHarness({ net: seededNetwork() })
    await addAccountByQr(h.core, h.net, 'alice@c.us')
    const token = h.net.users['alice@c.us']!.tokens[0]!
    const { readFileSync, readdirSync } = await import('node:fs')
    h.core.outbox.close()
    for (const file of readdirSync(h.dataDir)) expect(readFileSync(`${h.dataDir}/${file}`).toString('latin1')).not.toContain(token)
    expect(JSON.stringify(h.logs)).not.toContain(token)
  })
})

describe('a session', () => {
  it('is restored after a restart without a new QR', async () => {
    h = await createHarness({ net: seededNetwork() })
    await addAccountByQr(h.core, h.net, 'alice@c.us')
    await eventually(async () => (await inboxTitles(h)).length === 2)
    const before = h.calls.login
    await h.restart()
    expect(h.calls.login).toBe(before)
    expect(h.calls.restore).toBe(1)
    const [account] = await h.core.handlers.listAccounts()
    expect(account!.status.state).toBe('online')
    expect(await inboxTitles(h)).toEqual(['Team', 'Bob'])
  })

  it('keeps an account whose network this build lacks, offline with the reason, and starts the rest', async () => {
    const dir = tempDir()
    const first = await createHarness({
      net: seededNetwork(),
      dataDir: dir.path,
      networks: (n, calls) => [testNetwork(n, 'whatsapp', { calls }), testNetwork(n, 'line', { calls })]
    })
    first.net.addUser('alice-line', 'Alice (LINE)', { chats: [] })
    await addAccountByQr(first.core, first.net, 'alice@c.us', 'whatsapp')
    await addAccountByQr(first.core, first.net, 'alice-line', 'line')
    await first.close()
    h = await createHarness({ net: first.net, dataDir: dir.path, networks: (n, calls) => [testNetwork(n, 'whatsapp', { calls })] })
    onTestFinished(() => dir.remove())
    const accounts = await h.core.handlers.listAccounts()
    expect(accounts.find((a) => a.network === 'whatsapp')!.status.state).toBe('online')
    expect(accounts.find((a) => a.network === 'line')!.status).toEqual({
      state: 'offline',
      reason: { code: 'network-not-in-build', params: { network: 'line' } }
    })
  })

  it('receives messages live, counts them unread and clears that when read', async () => {
    h = await createHarness({ net: seededNetwork() })
    await addAccountByQr(h.core, h.net, 'alice@c.us')
    await eventually(async () => (await inboxTitles(h)).length === 2)
    const message = waitFor(h.core.events, 'message', (m) => m.text === 'are you there?')
    h.net.sendFromContact('alice@c.us', 'bob@c.us', 'are you there?')
    const m = await message
    const chat = await h.core.handlers.getChat({ chatId: m.chatId })
    expect(chat).toMatchObject({ unread: 1, preview: { text: 'are you there?' } })
    expect((await inboxTitles(h))[0]).toBe('Bob')
    await h.core.handlers.markChatRead({ chatId: m.chatId })
    expect((await h.core.handlers.getChat({ chatId: m.chatId })).unread).toBe(0)
    await eventually(() => h.net.readMarks.some((r) => r.chatId === 'bob@c.us' && r.upTo === m.remoteId))
  })

  it('sends: pending first, then sent, then read when the other side reads it', async () => {
    h = await createHarness({ net: seededNetwork() })
    await addAccountByQr(h.core, h.net, 'alice@c.us')
    const chatId = await eventually(
      async () => (await h.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 9 })).chats.find((c) => c.remoteId === 'bob@c.us')?.id
    )
    const statuses = collect(h.core, 'message')
    const sent = await h.core.handlers.sendMessage({ chatId, clientId: 'client-aaaaaaaa', draft: { kind: 'text', text: 'lunch?' } })
    expect(sent.status).toBe('pending')
    await eventually(() => statuses.some((m) => m.id === sent.id && m.status === 'sent'))
    h.net.readBy('alice@c.us', 'bob@c.us')
    await eventually(() => statuses.some((m) => m.id === sent.id && m.status === 'read'))
    expect(h.net.deliveries.map((d) => d.text)).toEqual(['lunch?'])
    const again = await h.core.handlers.sendMessage({ chatId, clientId: 'client-aaaaaaaa', draft: { kind: 'text', text: 'lunch?' } })
    expect(again.id).toBe(sent.id)
    expect(h.net.deliveries).toHaveLength(1)
  })

  it('passes typing both ways', async () => {
    h = await createHarness({ net: seededNetwork() })
    await addAccountByQr(h.core, h.net, 'alice@c.us')
    const chatId = await eventually(
      async () => (await h.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 9 })).chats.find((c) => c.remoteId === 'bob@c.us')?.id
    )
    const typing = waitFor(h.core.events, 'typing', (t) => t.chatId === chatId && t.typing)
    h.net.typingFrom('alice@c.us', 'bob@c.us', true)
    expect(await typing).toMatchObject({ senderName: 'Bob' })
    await h.core.handlers.setTyping({ chatId, typing: true })
    await eventually(() => h.net.typingMarks.some((t) => t.chatId === 'bob@c.us' && t.typing))
  })

  it('survives a dropped connection with nothing lost and nothing shown twice', async () => {
    h = await createHarness({ net: seededNetwork() })
    const accountId = await addAccountByQr(h.core, h.net, 'alice@c.us')
    await eventually(async () => (await inboxTitles(h)).length === 2)
    const states = collect(h.core, 'account')
    h.net.reachable = false
    h.net.drop('alice@c.us')
    await eventually(() => states.some((a) => a.status.state === 'reconnecting' && typeof a.status.retryAt === 'number'))
    // While the account is away, Bob keeps writing, and we write too.
    h.net.sendFromContact('alice@c.us', 'bob@c.us', 'one')
    h.net.sendFromContact('alice@c.us', 'bob@c.us', 'two')
    const chatId = (await h.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 9 })).chats.find((c) => c.remoteId === 'bob@c.us')!.id
    const queued = await h.core.handlers.sendMessage({ chatId, clientId: 'client-offline1', draft: { kind: 'text', text: 'sent while offline' } })
    expect(queued.status).toBe('pending')
    h.net.reachable = true
    await eventually(async () => (await h.core.handlers.listAccounts())[0]!.status.state === 'online', 5_000)
    await eventually(async () => (await h.core.handlers.getChat({ chatId })).unread === 2)
    const { messages } = await h.core.handlers.listMessages({ chatId, limit: 50 })
    const texts = messages.map((m) => m.text)
    expect(texts.filter((t) => t === 'one')).toHaveLength(1)
    expect(texts.filter((t) => t === 'two')).toHaveLength(1)
    await eventually(async () => (await h.core.handlers.listMessages({ chatId, limit: 50 })).messages.find((m) => m.id === queued.id)?.status === 'sent')
    expect(h.net.deliveries.map((d) => d.text)).toEqual(['sent while offline'])
    // A restart replays from the stored cursor: still nothing twice.
    await h.restart()
    h.net.sendFromContact('alice@c.us', 'bob@c.us', 'three')
    await eventually(async () => (await h.core.handlers.listMessages({ chatId, limit: 50 })).messages.some((m) => m.text === 'three'))
    const after = (await h.core.handlers.listMessages({ chatId, limit: 50 })).messages.map((m) => m.text)
    expect(after.filter((t) => t === 'one' || t === 'two' || t === 'three')).toEqual(['one', 'two', 'three'])
    expect(accountId).toBeTruthy()
  })

  it('goes offline with the reason when signed in elsewhere, and does not reconnect', async () => {
    h = await createHarness({ net: seededNetwork() })
    await addAccountByQr(h.core, h.net, 'alice@c.us')
    const offline = waitFor(h.core.events, 'account', (a) => a.status.state === 'offline')
    h.net.kick('alice@c.us', 'elsewhere')
    expect((await offline).status).toEqual({ state: 'offline', reason: { code: 'signed-in-elsewhere' } })
    // The supervisor's decision, logged as it is made: offline, so no reconnect is scheduled.
    expect(h.logs.filter((r) => r.message === 'session ended').map((r) => r.fields.action)).toEqual(['offline'])
    expect(h.net.connectedCount('alice@c.us')).toBe(0)
  })

  it('needs a new login when the phone ends the session, and restores nothing after', async () => {
    h = await createHarness({ net: seededNetwork() })
    await addAccountByQr(h.core, h.net, 'alice@c.us')
    const needs = waitFor(h.core.events, 'account', (a) => a.status.state === 'needs-login')
    h.net.revokeTokens('alice@c.us')
    await needs
    await h.restart()
    expect((await h.core.handlers.listAccounts())[0]!.status.state).toBe('needs-login')
  })

  it('logs in again to the same account and keeps its chats', async () => {
    h = await createHarness({ net: seededNetwork() })
    const accountId = await addAccountByQr(h.core, h.net, 'alice@c.us')
    await eventually(async () => (await inboxTitles(h)).length === 2)
    h.net.revokeTokens('alice@c.us')
    await eventually(async () => (await h.core.handlers.listAccounts())[0]!.status.state === 'needs-login')
    const again = await addAccountByQr(h.core, h.net, 'alice@c.us')
    expect(again).toBe(accountId)
    expect((await h.core.handlers.listAccounts())[0]!.status.state).toBe('online')
    expect(await inboxTitles(h)).toEqual(['Team', 'Bob'])
  })

  it('removing an account logs out on the network and deletes its data', async () => {
    h = await createHarness({ net: seededNetwork() })
    const accountId = await addAccountByQr(h.core, h.net, 'alice@c.us')
    await eventually(async () => (await inboxTitles(h)).length === 2)
    const removed = waitFor(h.core.events, 'accountRemoved')
    await h.core.handlers.removeAccount({ accountId })
    expect(await removed).toEqual({ accountId })
    expect(await inboxTitles(h)).toEqual([])
    expect(await h.core.handlers.search({ query: 'standup', limit: 5 })).toEqual([])
    expect(h.net.users['alice@c.us']!.tokens).toEqual([])
  })
})

describe('history and media', () => {
  it('pages older messages from the network once local history runs out', async () => {
    const net = new FakeNetwork()
    net.addUser('alice@c.us', 'Alice', {
      chats: [{ id: 'bob@c.us', title: 'Bob', messages: Array.from({ length: 120 }, (_, i) => ['bob@c.us', `message ${i}`] as [string, string]) }]
    })
    h = await createHarness({ net })
    await addAccountByQr(h.core, h.net, 'alice@c.us')
    const chatId = await eventually(async () => (await h.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 9 })).chats[0]?.id)
    const seen: string[] = []
    let before: string | null = null
    for (;;) {
      const page = await h.core.handlers.listMessages({ chatId, before, limit: 50 })
      seen.unshift(...page.messages.map((m) => m.text))
      if (!page.hasMore || page.messages.length === 0) break
      before = page.messages[0]!.id
    }
    expect(seen).toEqual(Array.from({ length: 120 }, (_, i) => `message ${i}`))
  })

  it('fetches a picture once and serves it from the cache after', async () => {
    h = await createHarness({ net: seededNetwork() })
    await addAccountByQr(h.core, h.net, 'alice@c.us')
    const chatId = await eventually(
      async () => (await h.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 9 })).chats.find((c) => c.remoteId === 'bob@c.us')?.id
    )
    const sent = await h.core.handlers.sendMessage({
      chatId,
      clientId: 'client-picture',
      draft: { kind: 'image', mime: 'image/png', dataBase64: 'iVBORw0KGgo=' }
    })
    const media = await h.core.media(sent.id)
    expect({ mime: media.mime, base64: Buffer.from(media.bytes).toString('base64') }).toEqual({ mime: 'image/png', base64: 'iVBORw0KGgo=' })
    await expect(h.core.media('999999')).rejects.toMatchObject({ code: 'not-found' })
  })

  it('searches every account at once', async () => {
    const net = seededNetwork()
    net.addUser('alice-line', 'Alice (LINE)', { chats: [{ id: 'u-dan', title: 'Dan', messages: [['u-dan', 'the standup moved']] }] })
    h = await createHarness({ net, networks: (n, calls) => [testNetwork(n, 'whatsapp', { calls }), testNetwork(n, 'line', { calls })] })
    await addAccountByQr(h.core, h.net, 'alice@c.us', 'whatsapp')
    await addAccountByQr(h.core, h.net, 'alice-line', 'line')
    const hits = await eventually(async () => {
      const r = await h.core.handlers.search({ query: 'standup', limit: 10 })
      return r.length === 2 ? r : null
    })
    expect(new Set(hits.map((x) => x.network))).toEqual(new Set(['whatsapp', 'line']))
  })
})
