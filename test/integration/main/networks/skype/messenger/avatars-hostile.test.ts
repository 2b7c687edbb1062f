// What a hostile or broken Messenger service cannot make Junction do with display pictures
// (msnp18.md §7.3, §8): an answer that is not an image, too large, a redirect or a server
// error is refused with a typed error, and nothing a server sends — an msnobj's Location or
// SHA1D, an address-book contactId, a redirect — makes the Connector fetch any address but
// `/storage/usertile/<uuid>/static` on the account's configured HTTP base.

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { JunctionError } from '../../../../../../src/shared/errors'
import { startMsnp18Server, type Msnp18Server } from '../../../../../servers/skype/msnp18/server'
import { ALICE18 } from '../../../../../servers/skype/msnp18/world'
import { messengerConnector, messengerLogin, type Driven } from './harness'

const BOB = 'bob@example.com'
const CAROL = 'carol@example.com'

let server: Msnp18Server
let d: Driven
/** A server nothing should ever reach: it counts what reaches it. */
let elsewhere: Server
let elsewhereHits: string[]
let elsewhereUrl: string

beforeEach(async () => {
  server = await startMsnp18Server()
  elsewhereHits = []
  elsewhere = createServer((req, res) => {
    elsewhereHits.push(req.url ?? '')
    res.writeHead(200, { 'Content-Type': 'image/png' }).end(server.usertiles.bytesOf(BOB, 'static') ?? Buffer.alloc(0))
  })
  await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve))
  elsewhereUrl = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`
})

afterEach(async () => {
  await d?.connector.close()
  await server.close()
  await new Promise<void>((resolve) => elsewhere.close(() => resolve()))
  expect(server.errors).toEqual([])
})

async function signIn(): Promise<void> {
  d = messengerConnector(server.config())
  await messengerLogin(d, { email: ALICE18.email, password: ALICE18.password })
}

/** The token of the latest contact event for `email` that matches. */
const tokenOf = async (email: string, match: (avatar: string | undefined) => boolean = (a) => !!a): Promise<string | undefined> =>
  (await d.probe.next('contact', (e) => e.contact.remoteId === `1:${email}` && match(e.contact.avatar), 8_000)).contact.avatar

async function rejection(p: Promise<unknown>): Promise<JunctionError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e
  )
  if (!(error instanceof JunctionError)) throw new Error(`expected a JunctionError, got ${String(error)}`)
  return error
}

const fetchBob = (): Promise<unknown> => d.connector.fetchAvatar('contact', `1:${BOB}`)
const onlyUsertilesOf = (...emails: string[]): void => {
  const allowed = emails.map((e) => `/storage/usertile/${server.world.get(e)!.uuid}/static`)
  expect(server.usertiles.served.every((p) => allowed.includes(p))).toBe(true)
  expect(elsewhereHits).toEqual([])
}

describe('refusing what a Messenger picture service must not send', () => {
  beforeEach(async () => {
    server.usertiles.set(BOB)
    await signIn()
    await tokenOf(BOB, (a) => !!a?.includes(':') && a.split(':').length === 3)
  })

  it('refuses an answer that is not an image, or has no type', async () => {
    server.usertiles.override = () => ({ status: 200, headers: { 'Content-Type': 'text/html' }, body: Buffer.from('<html>not a picture</html>') })
    const html = await rejection(fetchBob())
    expect(html).toMatchObject({ code: 'rejected', reason: { code: 'refused', params: { what: 'avatar-type' } } })
    server.usertiles.override = () => ({ status: 200, body: server.usertiles.bytesOf(BOB, 'static')! })
    expect(await rejection(fetchBob())).toMatchObject({ code: 'rejected', reason: { params: { what: 'avatar-type' } } })
    onlyUsertilesOf(BOB)
  })

  it('refuses an oversized picture, declared or streamed', async () => {
    const huge = Buffer.alloc(3 * 1024 * 1024, 0x41)
    server.usertiles.override = () => ({ status: 200, headers: { 'Content-Type': 'image/png', 'Content-Length': String(huge.length) }, body: huge })
    expect(await rejection(fetchBob())).toMatchObject({ code: 'rejected', reason: { params: { what: 'avatar-size' } } })
    server.usertiles.override = () => ({ status: 200, headers: { 'Content-Type': 'image/png', 'Transfer-Encoding': 'chunked' }, body: huge })
    expect(await rejection(fetchBob())).toMatchObject({ code: 'rejected', reason: { params: { what: 'avatar-size' } } })
  })

  it('never follows a redirect, and a server error is a retryable one, not "no picture"', async () => {
    server.usertiles.override = () => ({ status: 302, headers: { Location: `${elsewhereUrl}/picture.png` } })
    expect(await rejection(fetchBob())).toMatchObject({ code: 'rejected', detail: 'HTTP 302' })
    server.usertiles.override = () => ({ status: 500, body: Buffer.from('oops') })
    const failed = await rejection(fetchBob())
    expect(failed.code).toBe('unavailable')
    expect(failed.retryable).toBe(true)
    onlyUsertilesOf(BOB)
  })
})

describe('the token path names no address of its own', () => {
  it('ignores an msnobj’s Location and a SHA1D that is not one, and fetches by uuid from the configured base only', async () => {
    server.usertiles.set(BOB)
    await signIn()
    const good = await tokenOf(BOB, (a) => !!a && a.split(':').length === 3)
    // An msnobj that points elsewhere: its SHA1D is well formed, so the token follows it, but only the uuid is used.
    const other = `${'A'.repeat(27)}=`
    const next = d.probe.after('contact', (e) => e.contact.remoteId === `1:${BOB}` && e.contact.avatar !== good, 8_000)
    server.usertiles.advertise(BOB, `<msnobj Creator="${BOB}" Size="1" Type="3" Location="${elsewhereUrl}/a.png" Friendly="AAA=" SHA1D="${other}" SHA1C="x"/>`)
    const moved = (await next).contact.avatar
    expect(moved).toBe(good!.replace(/:[^:]*$/, `:${other}`))
    const bytes = (await fetchBob()) as { bytes: Uint8Array }
    expect(Buffer.from(bytes.bytes).equals(server.usertiles.bytesOf(BOB, 'static')!)).toBe(true)
    // A SHA1D that is an address is not a SHA1D: the token stays as it was.
    const events = d.probe.of('contact').length
    server.usertiles.advertise(BOB, `<msnobj Creator="${BOB}" Type="3" SHA1D="${elsewhereUrl}/b.png"/>`)
    server.peer(BOB).setStatus('AWY')
    await d.probe.next('contact', (e) => e.contact.remoteId === `1:${BOB}` && e.contact.presence === 'away', 8_000)
    expect(
      d.probe
        .of('contact')
        .slice(events)
        .every((e) => e.contact.avatar === undefined || e.contact.avatar === moved)
    ).toBe(true)
    onlyUsertilesOf(BOB)
  })

  it('gives no token for a contactId that is not a uuid, so nothing is fetched for that contact', async () => {
    server.usertiles.set(CAROL)
    server.world.get(CAROL)!.uuid = '0123456789abcdef0123'
    server.usertiles.set(BOB)
    server.world.get(BOB)!.uuid = `{${elsewhereUrl}}`
    await signIn()
    expect(await tokenOf(CAROL, () => true)).toBe('')
    expect(await tokenOf(BOB, () => true)).toBe('')
    expect(await d.connector.fetchAvatar('contact', '1:carol@example.com')).toBeNull()
    expect(await fetchBob()).toBeNull()
    expect(server.usertiles.served).toEqual([])
    expect(elsewhereHits).toEqual([])
  })

  it('asks for the own picture by the Me entry’s uuid alone, has none for a chat, and no contact before the address book is read', async () => {
    server.usertiles.set(ALICE18.email)
    await signIn()
    // Whatever id Core passes, the own picture is the one the address book's Me entry names.
    const own = await d.connector.fetchAvatar('self', '1:someone-else@example.com')
    expect(Buffer.from(own!.bytes).equals(server.usertiles.bytesOf(ALICE18.email, 'static')!)).toBe(true)
    expect(await d.connector.fetchAvatar('chat', `1:${BOB}`)).toBeNull()
    expect((await rejection(d.connector.fetchAvatar('contact', '1:nobody@example.com'))).code).toBe('unavailable')
    expect(server.usertiles.served).toEqual([`/storage/usertile/${server.world.get(ALICE18.email)!.uuid}/static`])
  })
})
