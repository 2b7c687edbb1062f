// Issue 16 point 1 through the Connector contract: a Messenger (MSNP18) account adds,
// removes, blocks and unblocks contacts and answers contact requests against the MSNP18
// reference server (msnp18.md §3.8–§3.10), and a request — pushed live (ADL 0 + NOT) or
// waiting in Pending at sign-in — arrives as a `contact` event with `pending`.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { JunctionError } from '../../../../../../src/shared/errors'
import type { ContactInfo } from '../../../../../../src/main/networks/connector'
import { startMsnp18Server, type Msnp18Server } from '../../../../../servers/skype/msnp18/server'
import { AL, ALICE18, BL, FL, PL, RL } from '../../../../../servers/skype/msnp18/world'
import { messengerConnector, messengerLogin, type Driven } from './harness'

const ALICE = ALICE18.email
const BOB = 'bob@example.com'
const DAVE = 'dave@example.com'

let server: Msnp18Server
let d: Driven

/** Makes Bob a stranger to Alice, as if they had never added each other. */
function strangers(x: string, y: string): void {
  server.world.setBits(x, y, 0, FL | AL | BL | RL | PL)
  server.world.setBits(y, x, 0, FL | AL | BL | RL | PL)
}

async function signIn(): Promise<void> {
  d = messengerConnector(server.config())
  await messengerLogin(d, { email: ALICE, password: ALICE18.password })
}

beforeEach(async () => {
  server = await startMsnp18Server()
})

afterEach(async () => {
  await d?.connector.close()
  await server.close()
  expect(server.errors).toEqual([])
})

const contactEvent = (remoteId: string, match: (c: ContactInfo) => boolean): Promise<unknown> =>
  d.probe.next('contact', (e) => e.contact.remoteId === remoteId && match(e.contact), 8_000)

const lastContact = (remoteId: string): ContactInfo | undefined =>
  d.probe
    .of('contact')
    .filter((e) => e.contact.remoteId === remoteId)
    .at(-1)?.contact

async function rejection(p: Promise<unknown>): Promise<JunctionError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e
  )
  if (!(error instanceof JunctionError)) throw new Error(`expected a JunctionError, got ${String(error)}`)
  return error
}

describe('Messenger contact actions through the Connector', () => {
  it('declares contact actions for an MSNP18 session', async () => {
    await signIn()
    expect(d.connector.capabilities().contactActions).not.toBe(false)
  })

  it('adds a contact: the address book and the list change, and presence follows', async () => {
    await signIn()
    const info = await d.connector.addContact(DAVE)
    expect(info).toMatchObject({ remoteId: '1:dave@example.com', name: 'dave', blocked: false })
    expect(server.world.bits(ALICE, DAVE) & (FL | AL)).toBe(FL | AL)
    // §3.8: the added side has a pending request from Alice.
    expect(server.world.bits(DAVE, ALICE)).toBe(RL | PL)
    await contactEvent('1:dave@example.com', (c) => c.presence === 'online')
    const synced = (await collect(d.connector.sync())).flatMap((b) => b.contacts ?? [])
    expect(synced.map((c) => c.remoteId)).toContain('1:dave@example.com')
  })

  it('refuses an unknown account and an address that is not one, with typed errors', async () => {
    await signIn()
    expect((await rejection(d.connector.addContact('nobody@example.com'))).code).toBe('not-found')
    expect((await rejection(d.connector.addContact('not an address'))).code).toBe('invalid-argument')
    expect((await rejection(d.connector.addContact(ALICE))).code).toBe('invalid-argument')
    expect(server.world.bits(ALICE, 'nobody@example.com')).toBe(0)
  })

  it('removes a contact with RML and ABContactDelete', async () => {
    await signIn()
    await contactEvent('1:carol@example.com', () => true)
    await d.connector.removeContact('1:carol@example.com')
    expect(server.world.bits(ALICE, 'carol@example.com') & FL).toBe(0)
    const synced = (await collect(d.connector.sync())).flatMap((b) => b.contacts ?? [])
    expect(synced.map((c) => c.remoteId)).not.toContain('1:carol@example.com')
  })

  it('blocks and unblocks: AL ↔ BL on the server, and the contact says so', async () => {
    await signIn()
    await contactEvent('1:bob@example.com', (c) => c.blocked === false)
    await d.connector.setBlocked('1:bob@example.com', true)
    expect(server.world.bits(ALICE, BOB) & (AL | BL)).toBe(BL)
    // The change is read back from the address book before the call resolves.
    expect(lastContact('1:bob@example.com')?.blocked).toBe(true)
    await d.connector.setBlocked('1:bob@example.com', false)
    expect(server.world.bits(ALICE, BOB) & (AL | BL)).toBe(AL)
    expect(lastContact('1:bob@example.com')?.blocked).toBe(false)
  })

  it('hears a live request from Bob and accepts it: Bob becomes a contact both ways', async () => {
    strangers(ALICE, BOB)
    await signIn()
    expect(d.probe.of('contact').some((e) => e.contact.remoteId === '1:bob@example.com')).toBe(false)
    const request = d.probe.after('contact', (e) => e.contact.remoteId === '1:bob@example.com' && e.contact.pending === true, 8_000)
    server.peer(BOB).addContact(ALICE)
    // §3.8: the push's friendly name, with the address (a name alone could pose as anyone).
    expect((await request).contact).toMatchObject({ name: `Bob B. (${BOB})`, pending: true })

    const contact = d.probe.after('contact', (e) => e.contact.remoteId === '1:bob@example.com' && !e.contact.pending, 8_000)
    await d.connector.answerContactRequest('1:bob@example.com', true)
    expect((await contact).contact).toMatchObject({ name: 'Bob B.', blocked: false })
    // §3.9: Allow + Reverse, nothing pending, and Bob on Alice's forward list.
    expect(server.world.bits(ALICE, BOB)).toBe(FL | AL | RL)
    expect(server.world.bits(BOB, ALICE) & (FL | RL)).toBe(FL | RL)
  })

  it('declines a request that was waiting at sign-in: it goes, and nothing else changes', async () => {
    strangers(ALICE, DAVE)
    server.peer(DAVE).addContact(ALICE)
    expect(server.world.bits(ALICE, DAVE)).toBe(RL | PL)
    await signIn()
    await contactEvent('1:dave@example.com', (c) => c.pending === true)
    await d.connector.answerContactRequest('1:dave@example.com', false)
    expect(server.world.bits(ALICE, DAVE)).toBe(RL)
    const synced = (await collect(d.connector.sync())).flatMap((b) => b.contacts ?? [])
    expect(synced.map((c) => c.remoteId)).not.toContain('1:dave@example.com')
    expect(d.probe.of('contact').filter((e) => e.contact.remoteId === '1:dave@example.com' && !e.contact.pending)).toEqual([])
  })
})

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}
