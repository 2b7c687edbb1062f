// The MSNP18 dialect against the MSNP18 reference server: sign-in, contacts and presence,
// conversations both ways over the switchboard, typing, nudges, challenges, keep-alive and
// "signed in elsewhere".

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startMsnp18Server, type Msnp18Server } from '../../../../../servers/skype/msnp18/server'
import { FL, AL } from '../../../../../servers/skype/msnp18/world'
import { signIn, type Signed } from './harness'

let server: Msnp18Server
let alice: Signed | null = null

beforeEach(async () => {
  server = await startMsnp18Server()
})

afterEach(async () => {
  alice?.session.close()
  alice = null
  await server.close()
  expect(server.errors).toEqual([])
})

describe('MSNP18 sign-in', () => {
  it('signs in with SSO, loads the address book and sees contacts online', async () => {
    alice = await signIn(server)
    const book = alice.rec.contacts[0]!
    expect(book.contacts.map((c) => c.account).sort()).toEqual(['bob@example.com', 'carol@example.com', 'erin@example.com'])
    expect(book.lists.get('bob@example.com')! & (FL | AL)).toBe(FL | AL)
    const bob = await alice.rec.waitFor<{ address: string; presence?: string; displayName?: string }>(
      'presence',
      (p) => p.address === '1:bob@example.com' && p.presence !== undefined
    )
    expect(bob.presence).toBe('online')
    expect(bob.displayName).toBe('Bob B.')
    const carol = await alice.rec.waitFor<{ address: string; presence?: string }>(
      'presence',
      (p) => p.address === '1:carol@example.com' && p.presence !== undefined
    )
    expect(carol.presence).toBe('away')
    const mood = await alice.rec.waitFor<{ address: string; mood?: string }>('presence', (p) => p.address === '1:bob@example.com' && p.mood !== undefined)
    expect(mood.mood).toBe('at work')
    expect(alice.rec.presence.some((p) => p.address === '1:erin@example.com' && p.presence === 'online')).toBe(false)
  })

  it('refuses a wrong password with a typed error', async () => {
    await expect(signIn(server, { password: 'wrong' })).rejects.toMatchObject({ code: 'auth-failed', reason: { code: 'credentials-refused' } })
  })
})

describe('MSNP18 switchboard', () => {
  it('sends a message that a contact receives, shown sent only after the ACK', async () => {
    alice = await signIn(server)
    await alice.session.sendMessaging({ to: '1:bob@example.com', messageType: 'Text', contentType: 'text/plain', body: 'Hello Bob' })
    expect(
      server
        .peer('bob@example.com')
        .inbox('alice@example.com')
        .map((r) => r.text)
    ).toEqual(['Hello Bob'])
  })

  it('receives a message from a contact who opens the conversation (RNG → ANS)', async () => {
    alice = await signIn(server)
    server.peer('bob@example.com').say('alice@example.com', 'Hi Alice')
    const m = await alice.rec.waitFor<{ from: string; body: string; messageType: string }>('messages', (x) => x.messageType === 'Text')
    expect(m).toMatchObject({ from: '1:bob@example.com', body: 'Hi Alice', displayName: 'Bob B.' })
  })

  it('hears typing and nudges from a contact', async () => {
    alice = await signIn(server)
    const bob = server.peer('bob@example.com')
    bob.typing('alice@example.com')
    await alice.rec.waitFor<{ messageType: string }>('messages', (x) => x.messageType === 'Control/Typing')
    bob.nudge('alice@example.com')
    expect(await alice.rec.waitFor<string>('nudges', () => true)).toBe('1:bob@example.com')
  })

  it('fails a message to an offline contact with a typed error', async () => {
    alice = await signIn(server)
    await expect(
      alice.session.sendMessaging({ to: '1:erin@example.com', messageType: 'Text', contentType: 'text/plain', body: 'are you there' })
    ).rejects.toMatchObject({ code: 'rejected', detail: 'MSNP 217' })
  })
})

describe('MSNP18 typing from our side', () => {
  it('opens the conversation when we start typing, and the contact sees it', async () => {
    alice = await signIn(server)
    await alice.session.sendSignal({ to: '1:bob@example.com', messageType: 'Control/Typing', contentType: 'text/plain', body: '' })
    await expect
      .poll(() =>
        server
          .peer('bob@example.com')
          .inbox()
          .map((r) => r.kind)
      )
      .toEqual(['typing'])
    await alice.session.sendSignal({ to: '1:bob@example.com', messageType: 'Control/Typing', contentType: 'text/plain', body: '' })
    await alice.session.sendMessaging({ to: '1:bob@example.com', messageType: 'Text', contentType: 'text/plain', body: 'typed' })
    expect(
      server
        .peer('bob@example.com')
        .inbox()
        .map((r) => r.kind)
    ).toEqual(['typing', 'typing', 'text'])
    expect(server.counters.switchboards).toBe(1)
  })
})
