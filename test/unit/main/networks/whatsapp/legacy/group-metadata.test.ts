// spec §6.3 `["query","GroupMetadata",GID]`: the reply's participants become members named from
// the address book; 401/404 mean "not in the group"; anything else is a typed protocol error.

import { describe, expect, it } from 'vitest'
import { AddressBook } from '../../../../../../src/main/networks/whatsapp/legacy/contacts'
import { groupChatInfo, queryGroupMetadata, resolveGroups } from '../../../../../../src/main/networks/whatsapp/legacy/group-metadata'
import type { Reply } from '../../../../../../src/main/networks/whatsapp/legacy/transport'
import type { ChatInfo } from '../../../../../../src/main/networks/connector'

const GID = '491234567890-1600000000@g.us'
const json = (value: unknown) => async (): Promise<Reply> => ({ kind: 'json', value })

describe('GroupMetadata', () => {
  it('reads the spec shape: subject and participants with admin flags, JIDs in the @c.us form', async () => {
    const meta = await queryGroupMetadata(
      json({
        id: GID,
        owner: '491234567890@c.us',
        subject: 'Family',
        creation: 1600000000,
        participants: [
          { id: '491234567890@c.us', isAdmin: true, isSuperAdmin: true },
          { id: '491111111111@s.whatsapp.net', isAdmin: false, isSuperAdmin: false }
        ]
      }),
      GID
    )
    expect(meta).toEqual({
      subject: 'Family',
      participants: [
        { jid: '491234567890@c.us', admin: true },
        { jid: '491111111111@c.us', admin: false }
      ]
    })
  })

  it('takes 401 and 404 as "not a member" and refuses other answers with a typed error', async () => {
    expect(await queryGroupMetadata(json({ status: 404 }), GID)).toBeNull()
    expect(await queryGroupMetadata(json({ status: 401 }), GID)).toBeNull()
    await expect(queryGroupMetadata(json({ status: 500 }), GID)).rejects.toMatchObject({ code: 'protocol' })
    await expect(queryGroupMetadata(json({ participants: 'nope' }), GID)).rejects.toMatchObject({ code: 'protocol' })
  })

  it('names members from the contacts, else by number, and takes the subject as the title', () => {
    const book = new AddressBook()
    book.setContact({ jid: '491111111111@c.us', name: 'Carol' })
    book.setChat({ jid: GID, name: 'Old name' })
    const info = groupChatInfo(book, GID, {
      subject: 'Family',
      participants: [
        { jid: '491111111111@c.us', admin: false },
        { jid: '492222222222@c.us', admin: false }
      ]
    })
    expect(info).toMatchObject({ remoteId: GID, kind: 'group', title: 'Family' })
    expect(info.members).toEqual([
      { remoteId: '491111111111@c.us', name: 'Carol' },
      { remoteId: '492222222222@c.us', name: '+492222222222' }
    ])
  })

  it('skips a group whose answer is odd and stops when the session ends', async () => {
    const book = new AddressBook()
    const seen: ChatInfo[] = []
    const answers: Record<string, unknown> = { 'a@g.us': { status: 500 }, 'b@g.us': { subject: 'B', participants: [] } }
    let stopped: unknown = null
    await resolveGroups(
      async (value) => {
        const gid = (value as string[])[2]!
        if (gid === 'c@g.us') throw new Error('closed')
        return { kind: 'json', value: answers[gid] }
      },
      ['a@g.us', 'b@g.us', 'c@g.us', 'd@g.us'],
      book,
      (chat) => seen.push(chat),
      (error) => (stopped = error)
    )
    expect(seen.map((c) => [c.remoteId, c.title, c.members])).toEqual([['b@g.us', 'B', []]])
    expect(stopped).toBeInstanceOf(Error)
  })
})
