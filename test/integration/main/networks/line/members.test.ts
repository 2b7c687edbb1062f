// LINE group members through Core (issue 12 §5): the Connector carries `getChats`'
// `groupExtra.memberMids` into ChatInfo.members at bootstrap, and Core names them from the
// account's contacts (the reference server's Team holds Alice, Bob and Carol).

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Harness } from '../../../../helpers/core-harness'
import { eventually } from '../../../../helpers/events'
import { lineFixture, type LineFixture } from './helpers'
import { addLineAccount, chatByRemote, lineHarness } from './core-helpers'

let f: LineFixture
let h: Harness

beforeEach(async () => {
  f = await lineFixture()
  // A message from Bob gives the account a direct chat with him (LINE lists direct chats by their messages).
  await f.phone.sendAs(f.bob.mid, 'hello')
  h = await lineHarness(f.server)
  await addLineAccount(h.core, f.phone)
})

afterEach(async () => {
  await h.close()
  await f.close()
})

describe('LINE group members', () => {
  it('stores each group’s members from getChats and names them from contacts', async () => {
    const team = await chatByRemote(h.core, f.team.mid)
    let members: { remoteId: string; name?: string }[] = []
    await eventually(async () => (members = await h.core.handlers.getChatMembers({ chatId: team.id })).length > 0)
    expect(members.map((m) => m.remoteId).sort()).toEqual([...f.team.members].sort())
    const bob = members.find((m) => m.remoteId === f.bob.mid)
    expect(bob?.name).toBe('Bob')
    // A direct chat has no member list.
    const direct = await chatByRemote(h.core, f.bob.mid)
    expect(await h.core.handlers.getChatMembers({ chatId: direct.id })).toEqual([])
  })
})
