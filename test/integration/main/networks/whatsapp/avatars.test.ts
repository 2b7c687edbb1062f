// WhatsApp legacy profile pictures through Core (issue 12 §3; spec §6.3 ProfilePicThumb, §6.5
// `Cmd picture`), against the reference server: after the login sync the chats' and the own
// picture tags are asked for in the background; a chat with a picture gets a version, one
// without none (initials, and no request from the page); the bytes are fetched when asked for,
// once; a `picture` command from the server brings Bob's new picture.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { LoginStep } from '../../../../../src/shared/api'
import { whatsappNetwork } from '../../../../../src/main/networks/whatsapp'
import { createHarness, type Harness } from '../../../../helpers/core-harness'
import { eventually, waitFor } from '../../../../helpers/events'
import { ProfilePictures } from '../../../../servers/whatsapp/profile-pictures'
import type { WhatsAppServer } from '../../../../servers/whatsapp/server'
import { BOB, FAST, startWorld, TEAM } from './fixture'

let h: Harness
let server: WhatsAppServer
let accountId: string
/** The fixture's own account (Alice). */
const SELF = '15550100@c.us'

beforeEach(async () => {
  const world = await startWorld()
  server = world.server
  server.pictures.set(BOB)
  server.pictures.set(SELF)
  h = await createHarness({ networks: () => [whatsappNetwork], core: { networkConfig: { whatsapp: server.clientConfig(FAST) } } })
  const qr = waitFor(h.core.events, 'login', (e) => e.step.kind === 'qr')
  const { loginId } = await h.core.handlers.startLogin({ network: 'whatsapp', methodId: 'legacy-qr' })
  const done = waitFor(h.core.events, 'login', (e) => e.loginId === loginId && (e.step.kind === 'done' || e.step.kind === 'failed'))
  await world.phone.scan(((await qr).step as Extract<LoginStep, { kind: 'qr' }>).payload)
  const step = (await done).step
  if (step.kind !== 'done') throw new Error(`login failed: ${JSON.stringify(step)}`)
  accountId = step.accountId
  await eventually(async () => (await h.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 50 })).chats.length === 2)
})

afterEach(async () => {
  await h?.close()
  await server?.close()
})

const chat = async (remoteId: string) => (await h.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 50 })).chats.find((c) => c.remoteId === remoteId)!

describe('WhatsApp legacy profile pictures', () => {
  it('gives the chat with a picture a version, the one without none, and fetches the picture once', async () => {
    await eventually(async () => (await chat(BOB)).avatar)
    await eventually(() => server.pictures.queries.includes(TEAM) || undefined)
    expect((await chat(TEAM)).avatar).toBeUndefined()
    expect(server.pictures.served).toEqual([])
    const bob = await h.core.avatar(accountId, BOB)
    expect(bob.mime).toBe('image/png')
    expect(Buffer.from(bob.bytes).equals(ProfilePictures.bytesOf(server.pictures.tagOf(BOB)!))).toBe(true)
    await h.core.avatar(accountId, BOB)
    expect(server.pictures.served).toHaveLength(1)

    // Nothing to fetch for the group: Core has no token for it.
    const asked = server.pictures.queries.length
    await expect(h.core.avatar(accountId, TEAM)).rejects.toMatchObject({ code: 'not-found' })
    expect(server.pictures.queries).toHaveLength(asked)
  })

  it('fetches the own picture for the rail', async () => {
    const account = await eventually(async () => (await h.core.handlers.listAccounts()).find((a) => a.avatar))
    expect(account.selfId).toBe(SELF)
    const own = await h.core.avatar(accountId, SELF)
    expect(Buffer.from(own.bytes).equals(ProfilePictures.bytesOf(server.pictures.tagOf(SELF)!))).toBe(true)
  })

  it('fetches the new picture after the server says it changed', async () => {
    const before = await eventually(async () => (await chat(BOB)).avatar)
    await h.core.avatar(accountId, BOB)
    const tag = server.changePicture(BOB)
    await eventually(async () => ((await chat(BOB)).avatar !== before ? true : undefined))
    const after = await h.core.avatar(accountId, BOB)
    expect(Buffer.from(after.bytes).equals(ProfilePictures.bytesOf(tag))).toBe(true)
    expect(server.pictures.served).toHaveLength(2)
  })
})
