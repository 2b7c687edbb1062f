// The Connector contract for modern networks (issue 10 §7) and network settings (§4), as
// Core implements them: input login steps, reconnect now, the key store, per-network settings.

import { afterEach, describe, expect, it } from 'vitest'
import type { LoginStep } from '../../../../src/shared/api'
import { JunctionError } from '../../../../src/shared/errors'
import type { Connector, ConnectorContext, NetworkDefinition } from '../../../../src/main/networks/connector'
import { FakeNetwork } from '../../../doubles/fake-network'
import { TestConnector, testNetwork } from '../../../doubles/test-connector'
import { addAccountByQr, createHarness, type Harness } from '../../../helpers/core-harness'
import { eventually, waitFor } from '../../../helpers/events'
import type { CoreOptions } from '../../../../src/main/core/core'

let h: Harness
afterEach(async () => h?.close())

/** The fake network with one extra step at login (a 2FA password) and the key store and config on show. */
function modernNetwork(net: FakeNetwork, seen: { contexts: ConnectorContext[] }): NetworkDefinition {
  const base = testNetwork(net, 'whatsapp', { reconnectMs: 20 })
  return {
    ...base,
    settings: [
      { name: 'server', kind: 'url', label: 'Server' },
      { name: 'folder', kind: 'folder', label: 'A folder' },
      { name: 'fast', kind: 'toggle', label: 'Fast' }
    ],
    loginMethods: [{ id: 'qr', kind: 'qr' }],
    create(context) {
      seen.contexts.push(context)
      const connector = base.create(context) as TestConnector
      const login = connector.login.bind(connector)
      const modern: Connector = Object.assign(Object.create(connector) as Connector, {
        async login(request: Parameters<Connector['login']>[0], io: Parameters<Connector['login']>[1]) {
          io.step({ kind: 'input', fields: [{ name: 'password', kind: 'password', label: 'Two-step password' }] })
          const values = await io.waitForInput()
          if (values.password !== 'open sesame') throw new JunctionError('auth-failed', 'wrong', { reason: { code: 'credentials-refused' } })
          // Keys written during pairing, before the account exists.
          context.keyStore.commit([{ namespace: 'identity', key: 'self', value: new Uint8Array([7, 7]) }])
          return login(request, io)
        }
      })
      return modern
    }
  }
}

function setup(seen = { contexts: [] as ConnectorContext[] }, core: Partial<CoreOptions> = {}) {
  const net = new FakeNetwork()
  net.addUser('me', 'Me', { chats: [{ id: 'bob', title: 'Bob', messages: [['bob', 'hi']] }] })
  return { net, seen, ready: createHarness({ net, networks: (n) => [modernNetwork(n, seen)], core }) }
}

async function loginWithInput(password: string): Promise<LoginStep> {
  const input = waitFor(h.core.events, 'login', (e) => e.step.kind === 'input')
  const { loginId } = await h.core.handlers.startLogin({ network: 'whatsapp', methodId: 'qr' })
  expect((await input).step).toEqual({ kind: 'input', fields: [{ name: 'password', kind: 'password', label: 'Two-step password' }] })
  const end = waitFor(h.core.events, 'login', (e) => e.loginId === loginId && ['qr', 'failed'].includes(e.step.kind))
  await h.core.handlers.submitLoginInput({ loginId, values: { password } })
  const step = (await end).step
  if (step.kind === 'qr') {
    const done = waitFor(h.core.events, 'login', (e) => e.loginId === loginId && e.step.kind === 'done')
    h.net.scan(step.payload, 'me')
    return (await done).step
  }
  return step
}

describe('an input login step', () => {
  it('waits for what the person types and carries on with it', async () => {
    const s = setup()
    h = await s.ready
    expect((await loginWithInput('open sesame')).kind).toBe('done')
  })

  it('fails the login with the network’s reason on a wrong answer', async () => {
    const s = setup()
    h = await s.ready
    const step = await loginWithInput('nope')
    expect(step).toMatchObject({ kind: 'failed', error: { code: 'auth-failed', reason: { code: 'credentials-refused' } } })
  })

  it('refuses an answer for a login that is not waiting', async () => {
    const s = setup()
    h = await s.ready
    await expect(h.core.handlers.submitLoginInput({ loginId: 'nope', values: {} })).rejects.toMatchObject({ code: 'not-found' })
  })
})

describe('the key store', () => {
  it('keeps what a login wrote before its account existed, sealed, and hands it to the restored Connector', async () => {
    const s = setup()
    h = await s.ready
    await loginWithInput('open sesame')
    const raw = h.core['o'].store.db.prepare('SELECT value FROM connector_keys').all() as { value: Uint8Array }[]
    expect(raw).toHaveLength(1)
    expect(Buffer.from(raw[0]!.value).includes(Buffer.from([7, 7]))).toBe(false)
    await h.restart()
    const restored = s.seen.contexts.at(-1)!
    expect([...restored.keyStore.get('identity', 'self')!]).toEqual([7, 7])
    expect(restored.keyStore.list('identity').map(([k, v]) => [k, [...v]])).toEqual([['self', [7, 7]]])
  })

  it('commits writes and the messages they decrypted together; a failure applies neither', async () => {
    const s = setup()
    h = await s.ready
    const done = await loginWithInput('open sesame')
    const accountId = done.kind === 'done' ? done.accountId : ''
    const keys = s.seen.contexts.at(-1)!.keyStore
    const heard = waitFor(h.core.events, 'message', (m) => m.text === 'decrypted')
    keys.commit(
      [{ namespace: 'session', key: 'bob.0', value: new Uint8Array([1]) }],
      [
        {
          type: 'message',
          message: { chatRemoteId: 'bob', remoteId: 'm-1', senderId: 'bob', fromMe: false, timestamp: 5, kind: 'text', text: 'decrypted', e2ee: true }
        }
      ]
    )
    expect((await heard).e2ee).toBe(true)
    expect([...keys.get('session', 'bob.0')!]).toEqual([1])

    // A message the store cannot take (no chat): its transaction fails.
    const bad = {
      type: 'message',
      message: { chatRemoteId: null, remoteId: 'm-2', senderId: 'bob', fromMe: false, timestamp: 6, kind: 'text', text: 'x' }
    } as never
    expect(() => keys.commit([{ namespace: 'session', key: 'bob.0', value: new Uint8Array([2]) }], [bad])).toThrow()
    expect([...keys.get('session', 'bob.0')!]).toEqual([1])
    const page = await h.core.handlers.search({ query: 'decrypted', limit: 5, accountId })
    expect(page).toHaveLength(1)
  })
})

describe('network settings', () => {
  it('are declared by the network, checked, stored per network and merged into its config', async () => {
    const s = setup()
    h = await s.ready
    const info = (await h.core.handlers.listNetworks()).find((n) => n.id === 'whatsapp')!
    expect(info.settings.map((f) => f.name)).toEqual(['server', 'folder', 'fast'])
    expect(info.brand).toEqual({ color: '#225588', mark: 'T' })
    await h.core.handlers.updateSettings({ network: { id: 'whatsapp', name: 'server', value: 'wss://example.test/ws' } })
    await expect(h.core.handlers.updateSettings({ network: { id: 'whatsapp', name: 'nope', value: 'x' } })).rejects.toMatchObject({ code: 'invalid-argument' })
    await expect(h.core.handlers.updateSettings({ network: { id: 'whatsapp', name: 'fast', value: 'yes' } })).rejects.toMatchObject({
      code: 'invalid-argument'
    })
    await expect(h.core.handlers.updateSettings({ network: { id: 'whatsapp', name: 'folder', value: '/etc' } })).rejects.toMatchObject({
      code: 'permission-denied'
    })
    expect((await h.core.handlers.getSettings()).networks).toEqual({ whatsapp: { server: 'wss://example.test/ws' } })
    await loginWithInput('open sesame')
    expect(s.seen.contexts.at(-1)!.config).toMatchObject({ server: 'wss://example.test/ws' })
    await h.core.handlers.updateSettings({ network: { id: 'whatsapp', name: 'server', value: null } })
    expect((await h.core.handlers.getSettings()).networks).toEqual({ whatsapp: {} })
  })

  it('take folders only from the native dialog, never from the page', async () => {
    const picks: string[] = []
    const s = setup(undefined, {
      pickFolder: async (purpose, title) => {
        picks.push(`${purpose}:${title}`)
        return '/home/me/extension'
      }
    })
    h = await s.ready
    const settings = await h.core.handlers.pickNetworkFolder({ network: 'whatsapp', name: 'folder' })
    expect(settings.networks.whatsapp).toEqual({ folder: '/home/me/extension' })
    expect(picks).toEqual(['network-setting:A folder'])
    await expect(h.core.handlers.pickNetworkFolder({ network: 'whatsapp', name: 'server' })).rejects.toMatchObject({ code: 'invalid-argument' })
  })

  it('cannot pick folders under the headless host', async () => {
    const s = setup()
    h = await s.ready
    await expect(h.core.handlers.pickNetworkFolder({ network: 'whatsapp', name: 'folder' })).rejects.toMatchObject({ code: 'unsupported' })
  })
})

describe('reconnect now', () => {
  it('skips the back-off of a reconnecting account', async () => {
    const net = new FakeNetwork()
    net.addUser('me', 'Me', { chats: [{ id: 'bob', title: 'Bob' }] })
    h = await createHarness({ net, connector: { reconnectMs: 60_000 } })
    const accountId = await addAccountByQr(h.core, h.net, 'me')
    const waiting = waitFor(h.core.events, 'account', (a) => a.status.state === 'reconnecting' && a.status.retryAt !== undefined)
    net.drop('me')
    const status = (await waiting).status
    expect(status.retryAt! - Date.now()).toBeGreaterThan(30_000)
    const online = waitFor(h.core.events, 'account', (a) => a.status.state === 'online')
    await h.core.handlers.reconnectAccount({ accountId })
    await online
    await eventually(async () => (await h.core.handlers.listAccounts())[0]!.status.state === 'online')
  })
})

describe('logging in again as someone else', () => {
  async function relogin(answer: 'add' | 'cancel'): Promise<{ step: LoginStep; accounts: number }> {
    const net = new FakeNetwork()
    net.addUser('me', 'Me', { chats: [{ id: 'bob', title: 'Bob' }] })
    net.addUser('other', 'Other Person', { chats: [{ id: 'carol', title: 'Carol' }] })
    h = await createHarness({ net })
    const accountId = await addAccountByQr(h.core, h.net, 'me')
    const qr = waitFor(h.core.events, 'login', (e) => e.step.kind === 'qr')
    const { loginId } = await h.core.handlers.startLogin({ network: 'whatsapp', methodId: 'qr', accountId })
    const asked = waitFor(h.core.events, 'login', (e) => e.loginId === loginId && e.step.kind === 'different-account')
    h.net.scan((await qr).step.kind === 'qr' ? ((await qr).step as { payload: string }).payload : '', 'other')
    expect((await asked).step).toEqual({ kind: 'different-account', displayName: 'Other Person' })
    const end = waitFor(h.core.events, 'login', (e) => e.loginId === loginId && (e.step.kind === 'done' || e.step.kind === 'failed'))
    await h.core.handlers.submitLoginInput({ loginId, values: { choice: answer } })
    return { step: (await end).step, accounts: (await h.core.handlers.listAccounts()).length }
  }

  it('asks, and cancelling adds nothing', async () => {
    const { step, accounts } = await relogin('cancel')
    expect(step).toMatchObject({ kind: 'failed', error: { code: 'cancelled' } })
    expect(accounts).toBe(1)
  })

  it('asks, and adding makes a second account on purpose', async () => {
    const { step, accounts } = await relogin('add')
    expect(step.kind).toBe('done')
    expect(accounts).toBe(2)
  })

  it('reuses the account when the same person logs in again', async () => {
    const net = new FakeNetwork()
    net.addUser('me', 'Me', { chats: [{ id: 'bob', title: 'Bob' }] })
    h = await createHarness({ net })
    const accountId = await addAccountByQr(h.core, h.net, 'me')
    const qr = waitFor(h.core.events, 'login', (e) => e.step.kind === 'qr')
    const { loginId } = await h.core.handlers.startLogin({ network: 'whatsapp', methodId: 'qr', accountId })
    const done = waitFor(h.core.events, 'login', (e) => e.loginId === loginId && e.step.kind === 'done')
    h.net.scan(((await qr).step as { payload: string }).payload, 'me')
    expect((await done).step).toEqual({ kind: 'done', accountId })
    expect(await h.core.handlers.listAccounts()).toHaveLength(1)
  })
})

describe('the desktop app’s own requests', () => {
  it('are unsupported under the headless host, with words for why', async () => {
    const s = setup()
    h = await s.ready
    await expect(h.core.handlers.getDesktopPreferences(undefined)).rejects.toMatchObject({ code: 'unsupported' })
    await expect(h.core.handlers.checkForUpdates(undefined)).rejects.toMatchObject({ code: 'unsupported' })
    await expect(h.core.handlers.revealPath({ what: 'logs-folder' })).rejects.toMatchObject({ code: 'unsupported' })
  })

  it('reach the shell’s preferences, update check and logs folder in Electron', async () => {
    const revealed: string[] = []
    let prefs = { closeToTray: true, updateUrl: null as string | null }
    const s = setup(undefined, {
      logsDir: '/home/me/.config/Junction/logs',
      revealPath: async (path) => void revealed.push(path),
      desktop: {
        preferences: () => prefs,
        updatePreferences: (patch) => (prefs = { ...prefs, ...patch }),
        checkForUpdates: async () => ({ kind: 'available', version: '9.9.9' })
      }
    })
    h = await s.ready
    expect(await h.core.handlers.updateDesktopPreferences({ closeToTray: false })).toEqual({ closeToTray: false, updateUrl: null })
    expect(await h.core.handlers.getDesktopPreferences(undefined)).toEqual({ closeToTray: false, updateUrl: null })
    expect(await h.core.handlers.checkForUpdates(undefined)).toEqual({ kind: 'available', version: '9.9.9' })
    await h.core.handlers.revealPath({ what: 'logs-folder' })
    expect(revealed).toEqual(['/home/me/.config/Junction/logs'])
  })
})
