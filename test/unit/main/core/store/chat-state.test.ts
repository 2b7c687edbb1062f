import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Store } from '../../../../../src/main/core/store'

// The chat-list row actions (issue 12 §5): pin, mute, archive and mark unread are Core's, per chat.
let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'junction-chat-state-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function open(): { store: Store; accountId: string } {
  const store = Store.open(join(dir, 'profile.db'))
  const existing = store.accounts.list()[0]
  const accountId =
    existing?.id ?? store.accounts.insert({ network: 'whatsapp', selfId: 'me@c.us', displayName: 'Me', sealedCredentials: new Uint8Array([1]), now: 1 }).id
  return { store, accountId }
}

describe('chat state from the chat-list menu', () => {
  it('mark unread lifts a read chat to one unread and leaves a real count alone; opening clears it', () => {
    const { store, accountId } = open()
    const read = store.chats.upsert(accountId, { remoteId: 'a', kind: 'direct', title: 'Ann' }).id
    const busy = store.chats.upsert(accountId, { remoteId: 'b', kind: 'direct', title: 'Bob', unread: 4 }).id
    store.chats.patch(read, { markUnread: true })
    store.chats.patch(busy, { markUnread: true })
    expect(store.chats.get(read)!.unread).toBe(1)
    expect(store.chats.get(busy)!.unread).toBe(4)
    expect(store.chats.markRead(read)).toBe(true)
    expect(store.chats.get(read)!.unread).toBe(0)
    store.close()
  })

  it('pinned, muted, archived and marked-unread survive a restart, and a network update does not undo them', () => {
    const first = open()
    const id = first.store.chats.upsert(first.accountId, { remoteId: 'a', kind: 'direct', title: 'Ann' }).id
    first.store.chats.patch(id, { pinned: true, muted: true, archived: true, markUnread: true })
    first.store.close()
    const again = open()
    again.store.chats.upsert(again.accountId, { remoteId: 'a', kind: 'direct', title: 'Ann B', pinned: false, muted: false, archived: false })
    expect(again.store.chats.get(id)).toMatchObject({ title: 'Ann B', pinned: true, muted: true, archived: true, unread: 1 })
    // Archived chats leave the inbox for the Archived entry; muted ones leave the unread total.
    expect(again.store.chats.inbox({ filter: { kind: 'all' }, limit: 10, after: null }).chats).toEqual([])
    expect(again.store.chats.inbox({ filter: { kind: 'archived' }, limit: 10, after: null }).chats.map((c) => c.id)).toEqual([String(id)])
    expect(again.store.chats.totalUnread()).toBe(0)
    again.store.close()
  })
})
