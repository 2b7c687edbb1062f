// Contact actions through Core's Api (issue 16 point 1): validated by the bridge's schemas
// (the dispatcher every transport uses), checked against the account's capabilities, sent
// to the online Connector — a Messenger (MSNP18) account on the MSNP18 reference server —
// stored, and announced with `contact` events.

import { afterEach, describe, expect, it } from 'vitest'
import { createDispatcher } from '../../../../src/main/bridge/dispatch'
import { silentLogger } from '../../../../src/main/base/log'
import { skypeNetwork } from '../../../../src/main/networks/skype'
import type { ApiReply } from '../../../../src/shared/api'
import type { Contact } from '../../../../src/shared/model'
import { addAccountByQr, createHarness, type Harness } from '../../../helpers/core-harness'
import { waitFor } from '../../../helpers/events'
import { startMsnp18Server, type Msnp18Server } from '../../../servers/skype/msnp18/server'
import { AL, ALICE18, BL, FL, PL, RL } from '../../../servers/skype/msnp18/world'
import { QUICK } from '../networks/skype/messenger/harness'

const ALICE = ALICE18.email
const BOB = 'bob@example.com'
const DAVE = 'dave@example.com'

let server: Msnp18Server | null = null
let h: Harness | null = null

afterEach(async () => {
  await h?.close()
  await server?.close()
  expect(server?.errors ?? []).toEqual([])
  h = null
  server = null
})

async function messengerAccount(): Promise<{ h: Harness; accountId: string; server: Msnp18Server }> {
  server = await startMsnp18Server()
  // Bob and Alice start as strangers, so Bob's request is a real one.
  for (const [x, y] of [
    [ALICE, BOB],
    [BOB, ALICE]
  ] as const)
    server.world.setBits(x, y, 0, FL | AL | BL | RL | PL)
  h = await createHarness({ networks: () => [skypeNetwork], core: { networkConfig: { skype: { ...server.config(), ...QUICK } } } })
  const { loginId } = await h.core.handlers.startLogin({
    network: 'skype',
    methodId: 'messenger',
    fields: { email: ALICE, password: ALICE18.password, server: '' }
  })
  const done = (await waitFor(h.core.events, 'login', (e) => e.loginId === loginId && (e.step.kind === 'done' || e.step.kind === 'failed'), 15_000)).step
  if (done.kind !== 'done') throw new Error(`login failed: ${JSON.stringify(done)}`)
  return { h, accountId: done.accountId, server }
}

function value<T>(reply: ApiReply<unknown>): T {
  if (!reply.ok) throw new Error(`request failed: ${reply.error.code} ${reply.error.message}`)
  return reply.value as T
}

describe('contact actions through the Api', () => {
  it('adds, blocks, unblocks and removes a contact, each stored and announced', async () => {
    const { h, accountId, server } = await messengerAccount()
    const api = createDispatcher(h.core.handlers, silentLogger)
    const [account] = await h.core.handlers.listAccounts()
    expect(h.core.accounts.capabilitiesOf(account!.id).contactActions).toBe(true)

    const announced = waitFor(h.core.events, 'contact', (c) => c.remoteId === '1:dave@example.com' && !c.pending, 8_000)
    const dave = value<Contact>(await api('addContact', { accountId, address: '  dave@example.com ' }))
    expect(dave).toMatchObject({ accountId, remoteId: '1:dave@example.com', name: 'dave', blocked: false })
    await announced
    expect(server.world.bits(ALICE, DAVE) & FL).toBe(FL)
    expect((await h.core.handlers.listContacts({ accountId })).map((c) => c.remoteId)).toContain('1:dave@example.com')

    const blocked = value<Contact>(await api('setContactBlocked', { accountId, remoteId: '1:dave@example.com', blocked: true }))
    expect(blocked.blocked).toBe(true)
    expect(server.world.bits(ALICE, DAVE) & (AL | BL)).toBe(BL)
    expect(value<Contact>(await api('setContactBlocked', { accountId, remoteId: '1:dave@example.com', blocked: false })).blocked).toBe(false)

    expect(value(await api('removeContact', { accountId, remoteId: '1:dave@example.com' }))).toBeUndefined()
    expect(server.world.bits(ALICE, DAVE) & FL).toBe(0)
    expect((await h.core.handlers.listContacts({ accountId })).map((c) => c.remoteId)).not.toContain('1:dave@example.com')
  })

  it('shows a request as a pending contact, and accepting makes it a contact', async () => {
    const { h, accountId, server } = await messengerAccount()
    const api = createDispatcher(h.core.handlers, silentLogger)
    const request = waitFor(h.core.events, 'contact', (c) => c.remoteId === '1:bob@example.com' && c.pending === true, 8_000)
    server.peer(BOB).addContact(ALICE)
    expect(await request).toMatchObject({ accountId, name: `Bob B. (${BOB})`, blocked: false })
    expect((await h.core.handlers.listContacts({ accountId })).find((c) => c.remoteId === '1:bob@example.com')?.pending).toBe(true)
    // A request is answered, not blocked or removed.
    const wrong = await api('removeContact', { accountId, remoteId: '1:bob@example.com' })
    expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })

    const bob = value<Contact>(await api('answerContactRequest', { accountId, remoteId: '1:bob@example.com', accept: true }))
    expect(bob.pending).toBeUndefined()
    expect(server.world.bits(ALICE, BOB) & (FL | AL | PL)).toBe(FL | AL)
    const stored = (await h.core.handlers.listContacts({ accountId })).find((c) => c.remoteId === '1:bob@example.com')
    expect(stored).toMatchObject({ name: 'Bob B.', blocked: false })
    expect(stored?.pending).toBeUndefined()
  })

  it('declines a request: it is gone from the list and from the server', async () => {
    const { h, accountId, server } = await messengerAccount()
    const request = waitFor(h.core.events, 'contact', (c) => c.remoteId === '1:bob@example.com' && c.pending === true, 8_000)
    server.peer(BOB).addContact(ALICE)
    await request
    expect(await h.core.handlers.answerContactRequest({ accountId, remoteId: '1:bob@example.com', accept: false })).toBeNull()
    expect(server.world.bits(ALICE, BOB) & (FL | PL)).toBe(0)
    expect((await h.core.handlers.listContacts({ accountId })).map((c) => c.remoteId)).not.toContain('1:bob@example.com')
    await expect(h.core.handlers.answerContactRequest({ accountId, remoteId: '1:bob@example.com', accept: true })).rejects.toMatchObject({ code: 'not-found' })
  })

  it('refuses bad arguments before Core and typed errors from the network', async () => {
    const { h, accountId } = await messengerAccount()
    const api = createDispatcher(h.core.handlers, silentLogger)
    for (const bad of [
      { accountId, address: '' },
      { accountId, address: 'two words@example.com' },
      { accountId, address: `${'x'.repeat(300)}@example.com` },
      { accountId, address: 'bob@example.com', extra: 1 },
      { accountId: '', address: 'bob@example.com' }
    ])
      expect(await api('addContact', bad)).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
    expect(await api('setContactBlocked', { accountId, remoteId: '1:bob@example.com', blocked: 'yes' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument' }
    })
    expect(await api('answerContactRequest', { accountId, remoteId: '1:bob@example.com' })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
    expect(await api('addContact', { accountId, address: 'nobody@example.com' })).toMatchObject({ ok: false, error: { code: 'not-found' } })
    expect(await api('addContact', { accountId: 'no-such-account', address: 'bob@example.com' })).toMatchObject({ ok: false, error: { code: 'not-found' } })
    expect(await api('setContactBlocked', { accountId, remoteId: '1:stranger@example.com', blocked: true })).toMatchObject({
      ok: false,
      error: { code: 'not-found' }
    })
  })

  it('refuses contact actions on a network that does not declare them', async () => {
    h = await createHarness()
    h.net.addUser('me', 'Me', { chats: [] })
    const accountId = await addAccountByQr(h.core, h.net, 'me')
    await expect(h.core.handlers.addContact({ accountId, address: 'bob@fake' })).rejects.toMatchObject({ code: 'unsupported' })
  })
})
