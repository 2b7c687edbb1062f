import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { IncomingMessage } from '../../../../src/main/networks/connector'
import { EMBED_LIMIT_BYTES, exportHistory } from '../../../../src/main/core/export'
import { Store } from '../../../../src/main/core/store'

// Issue 12 §7: the HTML export shows photos and stickers, names instead of raw ids, and the
// network's display name.
let dir: string
let store: Store
let accountId: string
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')

function incoming(remoteId: string, patch: Partial<IncomingMessage>): IncomingMessage {
  return { chatRemoteId: 'grp', remoteId, senderId: '15550100@c.us', fromMe: false, timestamp: 1_000 + remoteId.length, kind: 'text', text: '', ...patch }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'junction-export-'))
  store = Store.open(':memory:')
  accountId = store.accounts.insert({ network: 'whatsapp', selfId: '15550199@c.us', displayName: 'Me', sealedCredentials: new Uint8Array([1]), now: 1 }).id
})
afterEach(() => {
  store.close()
  rmSync(dir, { recursive: true, force: true })
})

async function html(): Promise<string> {
  const result = await exportHistory(store, { dir, format: 'html', version: '0', now: new Date(0), networkName: (id) => (id === 'whatsapp' ? 'WhatsApp' : id) })
  return readFileSync(result.path, 'utf8')
}

describe('HTML export', () => {
  it('embeds a fetched photo and sticker, notes one not fetched, names the sender from contacts and the network by its display name', async () => {
    const chat = store.chats.upsert(accountId, { remoteId: 'grp', kind: 'group', title: 'Team' }).id
    store.contacts.upsert(accountId, { remoteId: '15550100@c.us', name: 'Bob Smith' })
    const photo = store.messages.upsert(chat, accountId, incoming('p', { kind: 'image', text: 'look' })).message!
    const sticker = store.messages.upsert(chat, accountId, incoming('st', { kind: 'sticker' })).message!
    store.messages.upsert(chat, accountId, incoming('far', { kind: 'image' }))
    store.media.put(Number(photo.id), 'image/png', PNG, 1)
    store.media.put(Number(sticker.id), 'image/webp', PNG, 1)
    const page = await html()
    expect(page).toContain('<h2>Me · WhatsApp</h2>')
    expect(page).not.toContain('15550199@c.us')
    expect(page).not.toContain('15550100@c.us')
    expect(page).toContain('<b>Bob Smith</b>')
    expect(page).toContain(`<img class="image" alt="Photo" src="data:image/png;base64,${PNG.toString('base64')}">look`)
    expect(page).toContain('<img class="sticker" alt="Sticker" src="data:image/webp;base64,')
    expect(page).toContain('[Photo, not downloaded]')
  })

  it('never embeds SVG (it can carry script) or an image past the limit', async () => {
    const chat = store.chats.upsert(accountId, { remoteId: 'grp', kind: 'group', title: 'Team' }).id
    const svg = store.messages.upsert(chat, accountId, incoming('s', { kind: 'image' })).message!
    const big = store.messages.upsert(chat, accountId, incoming('bb', { kind: 'image' })).message!
    store.media.put(Number(svg.id), 'image/svg+xml', Buffer.from('<svg onload="alert(1)"/>'), 1)
    store.media.put(Number(big.id), 'image/png', Buffer.alloc(EMBED_LIMIT_BYTES + 1), 1)
    const page = await html()
    expect(page).not.toContain('onload')
    expect(page).toContain('[Photo, image/svg+xml]')
    expect(page).toContain('[Photo, too large to embed]')
  })
})
