// Adding, removing and blocking contacts and answering a pending request (msnp18.md
// §3.8–§3.11) against the MSNP18 reference server, through the address book and the NS.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { contactActions } from '../../../../../../src/main/networks/skype/msnp18/contact-actions'
import type { BookSnapshot } from '../../../../../../src/main/networks/skype/msnp18/address-book'
import { startMsnp18Server, type Msnp18Server } from '../../../../../servers/skype/msnp18/server'
import { AL, BL, FL, PL, RL } from '../../../../../servers/skype/msnp18/world'
import { signIn, type Signed } from './harness'

let server: Msnp18Server
let alice: Signed | null = null

beforeEach(async () => {
  server = await startMsnp18Server()
  alice = await signIn(server)
})

afterEach(async () => {
  alice?.session.close()
  await server.close()
  expect(server.errors).toEqual([])
})

describe('MSNP18 contacts', () => {
  it('adds a contact: the address book, the ADL and the contact’s presence', async () => {
    const a = alice!
    await contactActions(a.session, a.book).add('dave@example.com')
    expect(server.world.bits('alice@example.com', 'dave@example.com') & (FL | AL)).toBe(FL | AL)
    expect(server.world.bits('dave@example.com', 'alice@example.com')).toBe(RL | PL)
    const dave = await a.rec.waitFor<{ address: string; presence?: string }>('presence', (p) => p.address === '1:dave@example.com' && p.presence !== undefined)
    expect(dave.presence).toBe('online')
    await a.session.sendMessaging({ to: '1:dave@example.com', messageType: 'Text', contentType: 'text/plain', body: 'hi dave' })
    expect(
      server
        .peer('dave@example.com')
        .inbox()
        .map((r) => r.text)
    ).toEqual(['hi dave'])
  })

  it('removes a contact with RML and ABContactDelete', async () => {
    const a = alice!
    await contactActions(a.session, a.book).remove('carol@example.com')
    expect(server.world.bits('alice@example.com', 'carol@example.com') & FL).toBe(0)
    expect((await a.book.snapshot()).contacts.map((c) => c.account)).not.toContain('carol@example.com')
  })

  it('blocks and unblocks: AL ↔ BL, and a blocked contact cannot reach us', async () => {
    const a = alice!
    const actions = contactActions(a.session, a.book)
    await actions.block('bob@example.com', true)
    expect(server.world.bits('alice@example.com', 'bob@example.com') & (AL | BL)).toBe(BL)
    server.peer('bob@example.com').say('alice@example.com', 'let me in')
    server.peer('carol@example.com').say('alice@example.com', 'marker')
    await a.rec.waitFor<{ body: string }>('messages', (m) => m.body === 'marker')
    expect(a.rec.messages.map((m) => m.body)).not.toContain('let me in')
    await actions.block('bob@example.com', false)
    expect(server.world.bits('alice@example.com', 'bob@example.com') & (AL | BL)).toBe(AL)
    server.peer('bob@example.com').say('alice@example.com', 'back again')
    await a.rec.waitFor<{ body: string }>('messages', (m) => m.body === 'back again')
  })

  it('sees a pending request pushed by the server and accepts it', async () => {
    const a = alice!
    server.peer('dave@example.com').addContact('alice@example.com')
    const pending = await a.rec.waitFor<BookSnapshot>('contacts', (s) => ((s.lists.get('dave@example.com') ?? 0) & PL) !== 0)
    expect(pending.lists.get('dave@example.com')! & FL).toBe(0)
    await contactActions(a.session, a.book).answer('dave@example.com', true)
    const after = await a.book.snapshot()
    expect(after.lists.get('dave@example.com')! & (FL | AL | PL)).toBe(FL | AL)
  })

  it('declines a pending request', async () => {
    const a = alice!
    server.peer('dave@example.com').addContact('alice@example.com')
    await a.rec.waitFor<BookSnapshot>('contacts', (s) => ((s.lists.get('dave@example.com') ?? 0) & PL) !== 0)
    await contactActions(a.session, a.book).answer('dave@example.com', false)
    expect(((await a.book.snapshot()).lists.get('dave@example.com') ?? 0) & (PL | FL)).toBe(0)
  })
})
