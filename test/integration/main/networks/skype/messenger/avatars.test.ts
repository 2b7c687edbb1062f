// Messenger (MSNP18) display pictures through Core, against the MSNP18 reference server:
// each contact's token follows the SHA1D of the msnobj in their NLN (msnp18.md §4.1), the
// bytes come from `/storage/usertile/<user uuid>/static` on the account's HTTP base (§7.3,
// §8) with the uuid ABFindContactsPaged gave (§3.2), fetched when asked and once per token;
// `0` means none (initials), a new picture is a new token and new bytes, and a contact never
// seen online is asked once, a 404 meaning "no picture".

import { afterEach, describe, expect, it } from 'vitest'
import type { Contact } from '../../../../../../src/shared/model'
import { skypeNetwork } from '../../../../../../src/main/networks/skype'
import { createHarness, type Harness } from '../../../../../helpers/core-harness'
import { eventually, waitFor } from '../../../../../helpers/events'
import { startMsnp18Server, type Msnp18Server } from '../../../../../servers/skype/msnp18/server'
import { ALICE18 } from '../../../../../servers/skype/msnp18/world'
import { QUICK } from './harness'

const BOB = 'bob@example.com'
const ERIN = 'erin@example.com'

let server: Msnp18Server
let h: Harness | undefined
let accountId: string

async function signIn(): Promise<void> {
  h = await createHarness({ networks: () => [skypeNetwork], core: { networkConfig: { skype: { ...server.config(), ...QUICK } } } })
  const { loginId } = await h.core.handlers.startLogin({
    network: 'skype',
    methodId: 'messenger',
    fields: { email: ALICE18.email, password: ALICE18.password, server: '' }
  })
  const done = (await waitFor(h.core.events, 'login', (e) => e.loginId === loginId && (e.step.kind === 'done' || e.step.kind === 'failed'), 15_000)).step
  if (done.kind !== 'done') throw new Error(`login failed: ${JSON.stringify(done)}`)
  accountId = done.accountId
}

afterEach(async () => {
  await h?.close()
  h = undefined
  await server?.close()
  expect(server.errors).toEqual([])
})

const core = (): Harness['core'] => h!.core
const contactOf = async (remoteId: string): Promise<Contact | undefined> =>
  (await core().handlers.listContacts({ accountId })).find((c) => c.remoteId === remoteId)
const tileOf = (email: string): string => `/storage/usertile/${server.world.get(email)!.uuid}/static`
const notFound = { code: 'not-found' }

describe('Messenger display pictures through Core', () => {
  it('fetches a contact’s picture by their uuid when asked, once; a contact whose msnobj is 0 has none', async () => {
    server = await startMsnp18Server()
    server.usertiles.set(BOB)
    await signIn()
    // Bob is online with a picture; Carol is online (away) and her NLN's msnobj is `0`.
    await eventually(async () => (await contactOf(`1:${BOB}`))?.avatar)
    await eventually(async () => ((await contactOf('1:carol@example.com'))?.presence === 'away' ? true : undefined))
    expect((await contactOf('1:carol@example.com'))?.avatar).toBeUndefined()
    // Nothing is downloaded until something asks.
    expect(server.usertiles.served).toEqual([])

    const bob = await core().avatar(accountId, `1:${BOB}`)
    expect(bob.mime).toBe('image/png')
    expect(Buffer.from(bob.bytes).equals(server.usertiles.bytesOf(BOB, 'static')!)).toBe(true)
    await core().avatar(accountId, `1:${BOB}`)
    expect(server.usertiles.served).toEqual([tileOf(BOB)])

    await expect(core().avatar(accountId, '1:carol@example.com')).rejects.toMatchObject(notFound)
    expect(server.usertiles.served).toEqual([tileOf(BOB)])
  })

  it('hears a new picture as a new token and fetches the new bytes; a removed one leaves initials', async () => {
    server = await startMsnp18Server()
    server.usertiles.set(BOB)
    await signIn()
    const first = await eventually(async () => (await contactOf(`1:${BOB}`))?.avatar)
    const before = Buffer.from((await core().avatar(accountId, `1:${BOB}`)).bytes)

    const changed = waitFor(core().events, 'contact', (c) => c.remoteId === `1:${BOB}` && c.avatar !== undefined && c.avatar !== first, 10_000)
    server.usertiles.set(BOB)
    await changed
    const after = Buffer.from((await core().avatar(accountId, `1:${BOB}`)).bytes)
    expect(after.equals(before)).toBe(false)
    expect(after.equals(server.usertiles.bytesOf(BOB, 'static')!)).toBe(true)
    expect(server.usertiles.served).toEqual([tileOf(BOB), tileOf(BOB)])

    const removed = waitFor(core().events, 'contact', (c) => c.remoteId === `1:${BOB}` && c.avatar === undefined, 10_000)
    server.usertiles.remove(BOB)
    await removed
    await expect(core().avatar(accountId, `1:${BOB}`)).rejects.toMatchObject(notFound)
    expect(server.usertiles.served).toHaveLength(2)
  })

  it('asks once for a contact never seen online: a 404 is no picture, asked no more', async () => {
    server = await startMsnp18Server()
    await signIn()
    // Erin is signed out, so no NLN says anything about her picture.
    await eventually(async () => (await contactOf(`1:${ERIN}`))?.avatar)
    await expect(core().avatar(accountId, `1:${ERIN}`)).rejects.toMatchObject(notFound)
    await expect(core().avatar(accountId, `1:${ERIN}`)).rejects.toMatchObject(notFound)
    expect(server.usertiles.served).toEqual([tileOf(ERIN)])
  })

  it('shows the picture of a contact never seen online who has one, and follows their NLN once they sign in', async () => {
    server = await startMsnp18Server()
    server.usertiles.set(ERIN)
    await signIn()
    const asked = await eventually(async () => (await contactOf(`1:${ERIN}`))?.avatar)
    const offline = await core().avatar(accountId, `1:${ERIN}`)
    expect(Buffer.from(offline.bytes).equals(server.usertiles.bytesOf(ERIN, 'static')!)).toBe(true)

    // Signing in, Erin's NLN names the picture by its SHA1D: a token of its own from then on.
    const online = waitFor(core().events, 'contact', (c) => c.remoteId === `1:${ERIN}` && c.presence === 'online', 10_000)
    server.peer(ERIN).setStatus('NLN')
    expect((await online).avatar).not.toBe(asked)
    await core().avatar(accountId, `1:${ERIN}`)
    expect(server.usertiles.served).toEqual([tileOf(ERIN), tileOf(ERIN)])
  })

  it('shows the own picture by the uuid of the address book’s Me entry; none is a 404, asked once', async () => {
    server = await startMsnp18Server()
    server.usertiles.set(ALICE18.email)
    await signIn()
    const account = await eventually(async () => (await core().handlers.listAccounts()).find((a) => a.id === accountId && a.avatar))
    const own = await core().avatar(accountId, account.selfId)
    expect(Buffer.from(own.bytes).equals(server.usertiles.bytesOf(ALICE18.email, 'static')!)).toBe(true)
    await core().avatar(accountId, account.selfId)
    expect(server.usertiles.served).toEqual([tileOf(ALICE18.email)])

    server.usertiles.remove(ALICE18.email)
    await h!.close()
    h = undefined
    server.usertiles.served.length = 0
    await signIn()
    const again = await eventually(async () => (await core().handlers.listAccounts()).find((a) => a.id === accountId && a.avatar))
    await expect(core().avatar(accountId, again.selfId)).rejects.toMatchObject(notFound)
    await expect(core().avatar(accountId, again.selfId)).rejects.toMatchObject(notFound)
    expect(server.usertiles.served).toEqual([tileOf(ALICE18.email)])
  })
})
