// Issue 12 §2: a file the person sent survives a crash — its outbox entry (the whole draft)
// and its bytes are on disk, so the next start resends the same file under the same client id.

import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Store } from '../../../../../src/main/core/store'
import type { FileDraft } from '../../../../../src/shared/model'
import { tempDir } from '../../../../helpers/core-harness'

let dir: ReturnType<typeof tempDir> | null = null
afterEach(() => {
  dir?.remove()
  dir = null
})

describe('a pending file in the store', () => {
  it('is still queued, with its name, size and bytes, after the store is closed and opened again', () => {
    dir = tempDir()
    const path = join(dir.path, 'profile.sqlite')
    const bytes = Buffer.from('%PDF-1.4 pending')
    const draft: FileDraft = { kind: 'file', name: 'plan.pdf', mime: 'application/pdf', size: bytes.length, dataBase64: bytes.toString('base64') }
    let store = Store.open(path)
    const accountId = store.accounts.insert({ network: 'line', selfId: 'uself', displayName: 'Me', sealedCredentials: new Uint8Array([1]), now: 1 }).id
    const chatId = store.chats.upsert(accountId, { remoteId: 'ubob', kind: 'direct', title: 'Bob' }).id
    store.transaction(() => {
      const m = store.messages.insertPending({
        chatId,
        accountId,
        clientId: 'file-crash-1',
        senderId: 'uself',
        timestamp: 5,
        kind: 'file',
        text: '',
        media: { mime: draft.mime, size: draft.size, name: draft.name }
      })
      store.outbox.insert({ accountId, clientId: 'file-crash-1', messageId: Number(m.id), draft, now: 5 })
      store.media.put(Number(m.id), draft.mime, bytes, 5)
    })
    store.close()

    store = Store.open(path)
    try {
      const entry = store.outbox.head(accountId)!
      expect(entry.clientId).toBe('file-crash-1')
      expect(entry.draft).toEqual(draft)
      const message = store.messages.get(entry.messageId)!
      expect(message).toMatchObject({ kind: 'file', status: 'pending', media: { name: 'plan.pdf', size: bytes.length } })
      expect(store.media.get(entry.messageId)!.bytes.equals(bytes)).toBe(true)
    } finally {
      store.close()
    }
  })
})
