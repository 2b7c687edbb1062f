// Picture tokens on the way to Core (md/pictures.ts): every chat and the own profile get one;
// a `picture` notification's id outlives later reports of the same chat; a removal is '' (none).

import { describe, expect, it } from 'vitest'
import { node } from '../../../../../../src/main/networks/whatsapp/md/stanza'
import { PictureTokens, UNKNOWN_PICTURE } from '../../../../../../src/main/networks/whatsapp/md/pictures'

const BOB = '15550101@s.whatsapp.net'
const ME = { jid: '15550100:3@s.whatsapp.net', name: 'Alice' }
const same = (jid: string): string => jid

describe('PictureTokens', () => {
  it('gives chats and the profile "ask when shown" until a notification names the picture', () => {
    const t = new PictureTokens()
    expect(t.decorate({ type: 'chat', chat: { remoteId: BOB, kind: 'direct', title: 'Bob' } })).toEqual({
      type: 'chat',
      chat: { remoteId: BOB, kind: 'direct', title: 'Bob', avatar: UNKNOWN_PICTURE }
    })
    expect(t.decorate({ type: 'profile', displayName: 'Alice' })).toEqual({ type: 'profile', displayName: 'Alice', avatar: UNKNOWN_PICTURE })
    // Other events pass untouched.
    const typing = { type: 'typing' as const, chatRemoteId: BOB, senderId: BOB, typing: true }
    expect(t.decorate(typing)).toBe(typing)
  })

  it('re-announces a chat with the notified id, keeps it on later reports, and says none after a delete', () => {
    const t = new PictureTokens()
    t.decorate({ type: 'chat', chat: { remoteId: BOB, kind: 'direct', title: 'Bob' } })
    const set = t.notified(node('notification', { from: BOB, type: 'picture' }, [node('set', { jid: BOB, id: '1717' })]), ME, same)
    expect(set).toEqual({ type: 'chat', chat: { remoteId: BOB, kind: 'direct', title: 'Bob', avatar: 'wa:1717' } })
    expect(t.decorate({ type: 'chat', chat: { remoteId: BOB, kind: 'direct', title: 'Bob B.' } })).toMatchObject({ chat: { avatar: 'wa:1717' } })
    const gone = t.notified(node('notification', { from: BOB, type: 'picture' }, [node('delete', { jid: BOB })]), ME, same)
    expect(gone).toMatchObject({ chat: { avatar: '' } })
  })

  it('turns our own picture change into a profile event, and ignores what names no one', () => {
    const t = new PictureTokens()
    const own = t.notified(
      node('notification', { from: '15550100@s.whatsapp.net', type: 'picture' }, [node('set', { jid: '15550100@s.whatsapp.net', id: '9' })]),
      ME,
      same
    )
    expect(own).toEqual({ type: 'profile', displayName: 'Alice', avatar: 'wa:9' })
    expect(t.notified(node('notification', { type: 'picture' }, []), ME, same)).toBeNull()
    expect(t.notified(node('notification', { type: 'picture' }, 'not nodes'), ME, same)).toBeNull()
    // A chat never reported: nothing to re-announce (its next report carries the new id).
    expect(t.notified(node('notification', { type: 'picture' }, [node('set', { jid: 'x@s.whatsapp.net', id: '3' })]), ME, same)).toBeNull()
    expect(t.decorate({ type: 'chat', chat: { remoteId: 'x@s.whatsapp.net', kind: 'direct', title: 'X' } })).toMatchObject({ chat: { avatar: 'wa:3' } })
  })
})
