// LINE profile pictures through Core (issue 12 §3, spec §6.7): the Profile's, Contacts' and
// groups' `picturePath` become avatar versions on the account, the direct chat and the group;
// the bytes come from `<profileUrl><picturePath>/preview` of the reference server only when
// asked for, once; a new path (a NOTIFIED_UPDATE_PROFILE) fetches the new picture.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Harness } from '../../../../helpers/core-harness'
import { eventually } from '../../../../helpers/events'
import { stickerPng } from '../../../../servers/line/obs-routes'
import { changeUserPicture, setPicture } from '../../../../servers/line/profile-pictures'
import { lineFixture, type LineFixture } from './helpers'
import { addLineAccount, chatByRemote, lineHarness } from './core-helpers'

let f: LineFixture
let h: Harness
let accountId: string

const pictureRequests = (): string[] => f.server.world.requests.filter((r) => r.path.startsWith('/profile/')).map((r) => r.path)

beforeEach(async () => {
  f = await lineFixture()
  setPicture(f.alice)
  setPicture(f.bob)
  setPicture(f.team)
  await f.phone.sendAs(f.bob.mid, 'hello')
  h = await lineHarness(f.server)
  accountId = await addLineAccount(h.core, f.phone)
})

afterEach(async () => {
  await h.close()
  await f.close()
})

describe('LINE profile pictures', () => {
  it('shows contact, group and own pictures, fetched lazily from the preview path', async () => {
    const bobChat = await eventually(async () => {
      const chat = await chatByRemote(h.core, f.bob.mid)
      return chat.avatar ? chat : undefined
    })
    const team = await eventually(async () => {
      const chat = await chatByRemote(h.core, f.team.mid)
      return chat.avatar ? chat : undefined
    })
    // Carol has no picture: no version, the renderer draws initials.
    expect((await h.core.handlers.listContacts({ accountId })).find((c) => c.remoteId === f.carol.mid)?.avatar).toBeUndefined()
    const account = (await h.core.handlers.listAccounts()).find((a) => a.id === accountId)
    expect(account?.avatar).toBeDefined()
    // Nothing is downloaded before the renderer asks.
    expect(pictureRequests()).toEqual([])

    const bob = await h.core.avatar(accountId, bobChat.remoteId)
    expect(bob.mime).toBe('image/png')
    expect(Buffer.from(bob.bytes).equals(stickerPng(f.bob.picturePath!))).toBe(true)
    expect(Buffer.from((await h.core.avatar(accountId, team.remoteId)).bytes).equals(stickerPng(f.team.picturePath!))).toBe(true)
    expect(Buffer.from((await h.core.avatar(accountId, f.alice.mid)).bytes).equals(stickerPng(f.alice.picturePath!))).toBe(true)
    expect(pictureRequests()).toEqual([
      `/profile${f.bob.picturePath}/preview`,
      `/profile${f.team.picturePath}/preview`,
      `/profile${f.alice.picturePath}/preview`
    ])

    // Cached: asking again goes nowhere.
    await h.core.avatar(accountId, bobChat.remoteId)
    expect(pictureRequests()).toHaveLength(3)
  })

  it('fetches the new picture after the contact changes it', async () => {
    const before = await eventually(async () => (await chatByRemote(h.core, f.bob.mid)).avatar)
    await h.core.avatar(accountId, f.bob.mid)
    const path = changeUserPicture(f.server.world, f.bob.mid)
    await eventually(async () => ((await chatByRemote(h.core, f.bob.mid)).avatar !== before ? true : undefined), 10_000)
    const after = await h.core.avatar(accountId, f.bob.mid)
    expect(Buffer.from(after.bytes).equals(stickerPng(path))).toBe(true)
    expect(pictureRequests().at(-1)).toBe(`/profile${path}/preview`)
  })
})
