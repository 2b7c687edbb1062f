// Offline messages (msnp18.md §5.9) against the reference server: a text to an offline
// contact is stored with OIM Store2 (lockkey from the server's challenge), and messages
// stored while we were away arrive at sign-in through RSI and are deleted afterwards.

import { afterEach, describe, expect, it } from 'vitest'
import { startMsnp18Server, type Msnp18Server } from '../../../../../servers/skype/msnp18/server'
import { signIn, type Signed } from './harness'

let server: Msnp18Server | null = null
const open: Signed[] = []

afterEach(async () => {
  for (const s of open.splice(0)) s.session.close()
  await server?.close()
  expect(server?.errors ?? []).toEqual([])
  server = null
})

describe('MSNP18 offline messages', () => {
  it('stores a text to an offline contact, with the lockkey the server asks for', async () => {
    server = await startMsnp18Server({ requireLockkey: true })
    const alice = await signIn(server, { offline: true })
    open.push(alice)
    await alice.session.sendMessaging({ to: '1:erin@example.com', messageType: 'Text', contentType: 'text/plain', body: 'Are you there? ö' })
    expect(server.world.oims.map((o) => [o.from, o.to, o.text])).toEqual([['alice@example.com', 'erin@example.com', 'Are you there? ö']])
  })

  it('receives what was stored while away, then deletes it on the server', async () => {
    server = await startMsnp18Server()
    server.peer('bob@example.com').say('alice@example.com', 'while you were out')
    server.peer('carol@example.com').say('alice@example.com', 'me too')
    expect(server.world.oims).toHaveLength(2)
    const alice = await signIn(server, { offline: true })
    open.push(alice)
    await expect
      .poll(() => alice.rec.messages.map((m) => [m.from, m.body]), { timeout: 5_000 })
      .toEqual([
        ['1:bob@example.com', 'while you were out'],
        ['1:carol@example.com', 'me too']
      ])
    expect(alice.rec.messages[0]).toMatchObject({ displayName: 'Bob B.', messageId: expect.stringMatching(/^oim:/) })
    expect(alice.rec.messages[0]!.arrival).toBeGreaterThan(Date.now() - 60_000)
    await expect.poll(() => server!.world.oims.length).toBe(0)
  })

  it('leaves offline messages on the server when they are not fetched, and still fails a send to an offline contact without OIM', async () => {
    server = await startMsnp18Server()
    server.peer('bob@example.com').say('alice@example.com', 'kept')
    const alice = await signIn(server)
    open.push(alice)
    await expect(alice.session.sendMessaging({ to: '1:erin@example.com', messageType: 'Text', contentType: 'text/plain', body: 'x' })).rejects.toMatchObject({
      detail: 'MSNP 217'
    })
    expect(server.world.oims.map((o) => o.text)).toEqual(['kept'])
  })
})
