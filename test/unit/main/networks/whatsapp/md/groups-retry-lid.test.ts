// Groups, retry receipts and LIDs without a server: the spec's vectors (§7.1 participant hash,
// §7.3/§7.4 retry receipt), §11.1 metadata and §11.3 notifications read into chats, and the
// PN↔LID map (§6.9) keeping one chat and one session address per contact.

import { describe, expect, it } from 'vitest'
import type { ConnectorEvent, KeyStore, KeyWrite } from '../../../../../../src/main/networks/connector'
import { encodeBinaryNode, type BinaryNode } from '../../../../../../src/main/networks/whatsapp/md/binary'
import { createCredentials } from '../../../../../../src/main/networks/whatsapp/md/credentials'
import { participantHash } from '../../../../../../src/main/networks/whatsapp/md/group-send'
import { chatInfoOf, Groups, isHostedDevice, parseGroup } from '../../../../../../src/main/networks/whatsapp/md/groups'
import { Outbound } from '../../../../../../src/main/networks/whatsapp/md/outbound'
import type { MdSession } from '../../../../../../src/main/networks/whatsapp/md/session'
import { LidMap } from '../../../../../../src/main/networks/whatsapp/md/lid'
import { retryReceipt, RetryCounts } from '../../../../../../src/main/networks/whatsapp/md/retry'
import { NS, SignalStore } from '../../../../../../src/main/networks/whatsapp/md/signal/store'
import { node } from '../../../../../../src/main/networks/whatsapp/md/stanza'

const hex = (s: string): string => s.replace(/\s+/g, '')
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

class Memory implements KeyStore {
  readonly data = new Map<string, Uint8Array>()
  get(namespace: string, key: string): Uint8Array | null {
    return this.data.get(`${namespace}/${key}`) ?? null
  }
  list(namespace: string): Array<[string, Uint8Array]> {
    return [...this.data].filter(([k]) => k.startsWith(`${namespace}/`)).map(([k, v]) => [k.slice(namespace.length + 1), v])
  }
  commit(writes: readonly KeyWrite[], _events: readonly ConnectorEvent[] = []): void {
    for (const w of writes) {
      if (w.value === null) this.data.delete(`${w.namespace}/${w.key}`)
      else this.data.set(`${w.namespace}/${w.key}`, w.value)
    }
  }
}

describe('participant hash (spec §7.1)', () => {
  it('matches the whatsmeow participantListHashV2 vector', () => {
    expect(participantHash(['15557654321@s.whatsapp.net', '15557654321:3@s.whatsapp.net', '15551234567:12@s.whatsapp.net', '15551234567@s.whatsapp.net'])).toBe(
      '2:8WC3Ao/M'
    )
  })
})

describe('retry receipt (spec §7.3, §7.4)', () => {
  it('encodes the count-1 vector byte for byte', async () => {
    const creds = { ...createCredentials(), registrationId: 0x1234 }
    const store = new SignalStore(new Memory(), () => creds)
    const failed: BinaryNode = node('message', { from: '15557654321@s.whatsapp.net', id: 'A1B2C3D4E5F60718293A4B5C6D7E8F90', t: '1700000000' })
    const receipt = await retryReceipt(store, creds, failed, 1, false)
    expect(toHex(encodeBinaryNode(receipt))).toBe(
      hex(`00f8080708fb10a1b2c3d4e5f60718293a4b5c6d7e8f9004ec0b11faff861555
    7654321f03f802f809ec0b415508fb10a1b2c3d4e5f60718293a4b5c6d7e8f90
    1aff0517000000005155f802adfc0400001234`)
    )
  })

  it('adds keys with a fresh one-time pre-key, kept for the session the sender builds', async () => {
    const keyStore = new Memory()
    const creds = createCredentials()
    const store = new SignalStore(keyStore, () => creds)
    const failed = node('message', { from: '120363000000000001@g.us', participant: '15557654321@s.whatsapp.net', id: 'X', t: '1' })
    const receipt = await retryReceipt(store, creds, failed, 2, true)
    expect(receipt.attrs).toEqual({ id: 'X', type: 'retry', to: '120363000000000001@g.us', participant: '15557654321@s.whatsapp.net' })
    const keys = (receipt.content as BinaryNode[]).find((c) => c.tag === 'keys')!
    expect((keys.content as BinaryNode[]).map((c) => c.tag)).toEqual(['type', 'identity', 'key', 'skey'])
    expect(keyStore.list(NS.preKey)).toHaveLength(1)
  })

  it('counts retries up from the enc count', () => {
    const counts = new RetryCounts()
    expect(counts.next('a', 0)).toBe(1)
    expect(counts.next('a', 0)).toBe(2)
    expect(counts.next('b', 3)).toBe(4)
    counts.done('a')
    expect(counts.next('a', 0)).toBe(1)
  })
})

const GROUP = node(
  'group',
  {
    id: '120363000000000001',
    subject: 'Trip',
    s_t: '1',
    s_o: '15557654321@s.whatsapp.net',
    creation: '1',
    creator: '15557654321@s.whatsapp.net',
    addressing_mode: 'lid'
  },
  [
    node('participant', { jid: '111111111111111@lid', phone_number: '15557654321@s.whatsapp.net', type: 'superadmin' }),
    node('participant', { jid: '222222222222222@lid', phone_number: '15551234567@s.whatsapp.net' }),
    node('participant', { jid: '333333333333333@lid' })
  ]
)

describe('group metadata and notifications (spec §11.1, §11.3)', () => {
  it('reads a LID group into a group chat with phone-number members where known', () => {
    const meta = parseGroup(GROUP)
    expect(meta.jid).toBe('120363000000000001@g.us')
    expect(meta.addressingMode).toBe('lid')
    expect(chatInfoOf(meta)).toEqual({
      remoteId: '120363000000000001@g.us',
      kind: 'group',
      title: 'Trip',
      members: [{ remoteId: '15557654321@s.whatsapp.net' }, { remoteId: '15551234567@s.whatsapp.net' }, { remoteId: '333333333333333@lid' }]
    })
  })

  it('applies create, subject, add and remove', () => {
    const groups = new Groups()
    const from = '120363000000000001@g.us'
    const notify = (child: BinaryNode) =>
      groups.notification(node('notification', { from, type: 'w:gp2', participant: '15557654321@s.whatsapp.net' }, [child]), ['15551234567@s.whatsapp.net'])
    const titles = (events: ConnectorEvent[]) => events.map((e) => (e.type === 'chat' ? e.chat.title : e.type))
    // Unknown group: a subject change says nothing.
    expect(notify(node('subject', { subject: 'x' }))).toEqual([])
    expect(titles(notify(node('create', {}, [GROUP])))).toEqual(['Trip'])
    expect(titles(notify(node('subject', { subject: 'Holidays' })))).toEqual(['Holidays'])
    const added = notify(node('add', {}, [node('participant', { jid: '15553330000@s.whatsapp.net' })]))
    expect(added[0]!.type === 'chat' && added[0]!.chat.members!.map((m) => m.remoteId)).toContain('15553330000@s.whatsapp.net')
    const removed = notify(node('remove', {}, [node('participant', { jid: '333333333333333@lid' })]))
    expect(removed[0]!.type === 'chat' && removed[0]!.chat.members!.map((m) => m.remoteId)).not.toContain('333333333333333@lid')
    // Notifications from a non-group are ignored.
    expect(groups.notification(node('notification', { from: '15557654321@s.whatsapp.net', type: 'w:gp2' }, [node('subject', { subject: 'y' })]), [])).toEqual(
      []
    )
  })
})

describe('PN↔LID map (spec §6.9)', () => {
  it('maps a LID sender to its phone-number chat and moves the PN session to the LID address once', async () => {
    const keyStore = new Memory()
    const store = new SignalStore(keyStore, () => createCredentials())
    const lids = new LidMap(store)
    const record = new TextEncoder().encode('{"session":1}')
    keyStore.commit([{ namespace: NS.session, key: '15557654321.2', value: record }])
    expect(lids.chatOf('123456789012345:2@lid')).toBe('123456789012345@lid')
    expect(lids.sessionJid('15557654321:2@s.whatsapp.net')).toBe('15557654321:2@s.whatsapp.net')
    await store.run(async () => {
      lids.learnFrom(node('message', { from: '123456789012345:2@lid', sender_pn: '15557654321@s.whatsapp.net' }))
      expect(lids.sessionJid('123456789012345:2@lid')).toBe('123456789012345:2@lid')
      store.commit()
    })
    expect(lids.chatOf('123456789012345:2@lid')).toBe('15557654321@s.whatsapp.net')
    expect(lids.toPn('123456789012345:2@lid')).toBe('15557654321:2@s.whatsapp.net')
    expect(keyStore.get(NS.session, '123456789012345_1.2')).toEqual(record)
    expect(keyStore.get(NS.session, '15557654321.2')).toBeNull()
    // A PN address now resolves to the LID address (where the session lives).
    expect(lids.sessionJid('15557654321:2@s.whatsapp.net')).toBe('123456789012345:2@lid')
    // Mismatched pairs (two PNs, a group) teach nothing.
    await store.run(async () => {
      lids.learn('15550000000@s.whatsapp.net', '15551111111@s.whatsapp.net')
      lids.learn('120363000000000001@g.us', '999@lid')
      store.commit()
    })
    expect(keyStore.list(NS.lid)).toHaveLength(2)
  })
})

describe('signal store commits', () => {
  it('commits staged writes and events, and nothing when there is nothing to apply', () => {
    const commits: number[] = []
    const keyStore = new (class extends Memory {
      override commit(writes: readonly KeyWrite[], events: readonly ConnectorEvent[] = []): void {
        commits.push(writes.length + events.length)
        super.commit(writes, events)
      }
    })()
    const store = new SignalStore(keyStore, () => createCredentials())
    store.commit()
    expect(commits).toEqual([])
    store.stage(NS.session, 'a@s.whatsapp.net', new Uint8Array([1]))
    store.commit()
    store.commit([{ type: 'cursor', name: 'x', value: '1' }])
    expect(commits).toEqual([1, 1])
    expect(keyStore.get(NS.session, 'a@s.whatsapp.net')).toEqual(new Uint8Array([1]))
  })
})

describe('device lists by usync (spec §6.8)', () => {
  it('keeps device 0 and companions with a key index, addresses hosted devices on hosted, learns the LID', async () => {
    const keyStore = new Memory()
    const store = new SignalStore(keyStore, () => createCredentials())
    const out = new Outbound(store, () => createCredentials())
    const asked: BinaryNode[] = []
    const reply = node('iq', { type: 'result' }, [
      node('usync', {}, [
        node('list', {}, [
          node('user', { jid: '15557654321@s.whatsapp.net' }, [
            node('devices', {}, [
              node('device-list', {}, [
                node('device', { id: '0' }),
                node('device', { id: '3', 'key-index': '2' }),
                node('device', { id: '5' }),
                node('device', { id: '99', 'key-index': '4', is_hosted: 'true' })
              ])
            ]),
            node('lid', { val: '123456789012345@lid' })
          ])
        ])
      ])
    ])
    const session = {
      nextId: () => 'sid',
      query: async (iq: BinaryNode) => {
        asked.push(iq)
        return reply
      }
    } as unknown as MdSession
    const devices = await out.deviceJids(session, ['15557654321@s.whatsapp.net'])
    expect(devices).toEqual(['15557654321@s.whatsapp.net', '15557654321:3@s.whatsapp.net', '15557654321:99@hosted'])
    expect(devices.filter((d) => !isHostedDevice(d))).toHaveLength(2)
    // The query asks for devices and the LID; the answer is cached.
    const query = (asked[0]!.content as BinaryNode[])[0]!.content as BinaryNode[]
    expect((query[0]!.content as BinaryNode[]).map((c) => c.tag)).toEqual(['devices', 'lid'])
    await out.deviceJids(session, ['15557654321@s.whatsapp.net'])
    expect(asked).toHaveLength(1)
    expect(out.lids.chatOf('123456789012345@lid')).toBe('15557654321@s.whatsapp.net')
  })
})
