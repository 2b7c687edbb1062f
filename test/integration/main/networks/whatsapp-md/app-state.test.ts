// App state over multi-device (spec §9) against the reference server: the phone shares its
// key after linking, a state written before the link arrives as a snapshot, later changes as
// patches after `server_sync`, every MAC checked (a broken patch MAC makes the client re-fetch
// a snapshot instead of applying it); pins, mutes, archives and unread marks made in Junction
// go back as patches the phone verifies and decodes.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../../../../src/main/base/log'
import type { ConnectorEvent } from '../../../../../src/main/networks/connector'
import { WhatsAppConnector } from '../../../../../src/main/networks/whatsapp'
import { APP_STATE_NS, loadState } from '../../../../../src/main/networks/whatsapp/md/app-state/store'
import { testContext } from '../../../../helpers/connector-probe'
import { startWhatsAppMdServer, type WhatsAppMdServerControls } from '../../../../servers/whatsapp-md'
import { mdClientConfig } from '../../../../servers/whatsapp-md/sandbox'
import { eventually, MemoryKeyStore, RecordingIO } from './harness'

const PHONE = '15551234567'
const BOB = '15557654321'
const BOB_JID = `${BOB}@s.whatsapp.net`
const CAROL_JID = '15550001111@s.whatsapp.net'

let dir: string
let server: WhatsAppMdServerControls
let connector: WhatsAppConnector
let keyStore: MemoryKeyStore

async function link(): Promise<void> {
  const io = new RecordingIO()
  const login = connector.login({ methodId: 'qr', fields: {}, previous: null }, io)
  await server.scan(await io.qr(), PHONE)
  await login
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wamd-appstate-'))
  server = await startWhatsAppMdServer({ stateDir: dir })
  server.hub.world.account(BOB, 'Bob')
  keyStore = new MemoryKeyStore()
  connector = new WhatsAppConnector(
    testContext(
      { md: mdClientConfig(server, { initialPreKeys: 30, reconnectBaseMs: 20, requestTimeoutMs: 5_000 }) },
      createLogger(() => {}, 'error'),
      { keyStore }
    )
  )
})

afterEach(async () => {
  await connector.close()
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

function committed<T extends ConnectorEvent['type']>(type: T): Array<Extract<ConnectorEvent, { type: T }>> {
  return keyStore.events.filter((e): e is Extract<ConnectorEvent, { type: T }> => e.type === type)
}

const chatState = (chat: string, field: 'pinned' | 'muted' | 'archived' | 'unread') =>
  committed('chatState')
    .filter((e) => e.chatRemoteId === chat && e[field] !== undefined)
    .map((e) => e[field])

const version = (name: string): number => loadState(keyStore, name).version
const serverVersion = (name: string): number => server.hub.world.account(PHONE).appState?.collections[name]?.version ?? 0

describe('WhatsApp multi-device app state', () => {
  it('applies a snapshot written before the link and later patches, with every MAC checked', async () => {
    const account = server.hub.world.account(PHONE)
    server.hub.appState.phoneWrite(account, 'regular_low', {
      index: ['pin_v1', BOB_JID],
      value: { timestamp: Date.now(), pinAction: { pinned: true } },
      version: 5
    })
    server.hub.appState.phoneWrite(account, 'critical_unblock_low', {
      index: ['contact', BOB_JID],
      value: { timestamp: Date.now(), contactAction: { fullName: 'Bob Builder', firstName: 'Bob' } },
      version: 2
    })
    await link()
    await eventually('the snapshot pin', () => chatState(BOB_JID, 'pinned').includes(true))
    await eventually('the contact name', () => committed('contact').some((e) => e.contact.remoteId === BOB_JID && e.contact.name === 'Bob Builder'))
    expect(keyStore.list(APP_STATE_NS.key)).toHaveLength(1)
    expect(server.hub.media.blobs.size).toBeGreaterThan(0) // the snapshots went through the media routes

    server.appStateWrite(PHONE, 'regular_high', {
      index: ['mute', BOB_JID],
      value: { timestamp: Date.now(), muteAction: { muted: true, muteEndTimestamp: Date.now() + 3_600_000 } },
      version: 2
    })
    server.appStateWrite(PHONE, 'regular_low', {
      index: ['archive', CAROL_JID],
      value: { timestamp: Date.now(), archiveChatAction: { archived: true } },
      version: 3
    })
    server.appStateWrite(PHONE, 'regular_low', {
      index: ['markChatAsRead', CAROL_JID],
      value: { timestamp: Date.now(), markChatAsReadAction: { read: true } },
      version: 3
    })
    await eventually('the mute', () => chatState(BOB_JID, 'muted').includes(true))
    await eventually('the archive', () => chatState(CAROL_JID, 'archived').includes(true))
    await eventually('the read mark', () => committed('chatRead').some((e) => e.chatRemoteId === CAROL_JID))
    await eventually('regular_low at the server’s version', () => version('regular_low') === serverVersion('regular_low'))
    expect(version('regular_high')).toBe(serverVersion('regular_high'))
  })

  it('never applies a patch whose MAC does not verify: it re-fetches the collection from a snapshot', async () => {
    await link()
    const pin = (pinned: boolean) =>
      server.appStateWrite(PHONE, 'regular_low', { index: ['pin_v1', BOB_JID], value: { timestamp: Date.now(), pinAction: { pinned } }, version: 5 })
    pin(true)
    await eventually('the first pin', () => version('regular_low') === 1)
    server.hub.appState.corruptNext.add(`${PHONE}/regular_low`)
    const blobs = server.hub.media.blobs.size
    pin(false)
    await eventually('the unpin, from a snapshot', () => chatState(BOB_JID, 'pinned').includes(false))
    expect(server.hub.appState.corruptNext.size).toBe(0) // the broken patch was served…
    expect(server.hub.media.blobs.size).toBe(blobs + 1) // …and a snapshot fetched instead
    expect(version('regular_low')).toBe(2)
    // The state is sound: the next patch applies on top of it.
    pin(true)
    await eventually('the next pin, as a patch', () => version('regular_low') === 3)
    expect(server.hub.media.blobs.size).toBe(blobs + 1)
    expect(chatState(BOB_JID, 'pinned').at(-1)).toBe(true)
  })

  it('writes pin, mute, archive and unread as patches the phone verifies', async () => {
    await link()
    await eventually('the key and first sync', () => keyStore.list(APP_STATE_NS.collection).length === 5)
    await connector.setChatState(BOB_JID, { pinned: true, muted: true })
    await connector.setChatState(BOB_JID, { archived: true, unread: true })
    const writes = server.hub.appState.writes.map((w) => ({ collection: w.collection, index: w.index, value: w.value }))
    expect(server.hub.appState.refused).toEqual([])
    expect(writes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ collection: 'regular_low', index: ['pin_v1', BOB_JID], value: expect.objectContaining({ pinAction: { pinned: true } }) }),
        expect.objectContaining({
          collection: 'regular_high',
          index: ['mute', BOB_JID],
          value: expect.objectContaining({ muteAction: { muted: true, muteEndTimestamp: -1 } })
        }),
        expect.objectContaining({
          collection: 'regular_low',
          index: ['archive', BOB_JID],
          value: expect.objectContaining({ archiveChatAction: expect.objectContaining({ archived: true }) })
        }),
        expect.objectContaining({
          collection: 'regular_low',
          index: ['markChatAsRead', BOB_JID],
          value: expect.objectContaining({ markChatAsReadAction: expect.objectContaining({ read: false }) })
        })
      ])
    )
    // The client fetched its own patches back and stands at the server's version.
    expect(version('regular_low')).toBe(serverVersion('regular_low'))
    expect(version('regular_high')).toBe(serverVersion('regular_high'))
    expect(chatState(BOB_JID, 'muted')).toContain(true)
  })
})
