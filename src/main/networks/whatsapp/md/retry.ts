// Retry receipts both ways (spec §7.4, §13.1, §13.12). A device that cannot decrypt answers
// with `<receipt type="retry">` (registration id; keys when the count passes 1 or it has no
// usable session) and does not acknowledge the message, so nothing is lost; the sender keeps
// recent plaintexts (bounded, in the key store), rebuilds the session (from the receipt's keys,
// or a fresh bundle) and re-sends the same id with `count`.

import { userJidOf, type BinaryNode } from './binary'
import type { MdCredentials } from './credentials'
import { generateKeyPair, concat } from './crypto'
import { distributionMessage, senderIdentity } from './group-send'
import { isGroupJid, participantPn } from './groups'
import type { Outbound, StanzaAttrs } from './outbound'
import { decodeProto, encodeProto, type WAMessage } from './proto'
import type { MdSession } from './session'
import { buildSession, encryptFor, signalAddress, type Bundle } from './signal/cipher'
import { NS, type SignalStore } from './signal/store'
import { bytesOf, childOf, node, readUint, uintBytes } from './stanza'

/** spec §7.4: both libraries stop at 5. */
export const MAX_RETRIES = 5
/** spec §13.12: whatsmeow keeps 256 recent sends. */
const SENT_MAX = 256
const COUNTS_MAX = 1_000

const enc = new TextEncoder()
const dec = new TextDecoder()

interface SentRecord {
  chat: string
  message: string
  at: number
  type?: string
  edit?: string
}

/** Stages a copy of a sent message (inside the send's `store.run`, committed with its ratchets). */
export function rememberSent(store: SignalStore, id: string, sent: { chat: string; message: Uint8Array } & StanzaAttrs): void {
  const all = store.list(NS.sent)
  if (all.length >= SENT_MAX) {
    const oldest = all
      .map(([key, raw]) => ({ key, at: (JSON.parse(dec.decode(raw)) as SentRecord).at }))
      .sort((a, b) => a.at - b.at)
      .slice(0, all.length - SENT_MAX + 1)
    for (const o of oldest) store.stage(NS.sent, o.key, null)
  }
  const record: SentRecord = { chat: sent.chat, message: Buffer.from(sent.message).toString('base64'), at: Date.now() }
  if (sent.type) record.type = sent.type
  if (sent.edit) record.edit = sent.edit
  store.stage(NS.sent, id, enc.encode(JSON.stringify(record)))
}

export function loadSent(store: SignalStore, id: string): (SentRecord & { bytes: Uint8Array }) | null {
  const raw = store.get(NS.sent, id)
  if (!raw) return null
  try {
    const r = JSON.parse(dec.decode(raw)) as SentRecord
    return { ...r, bytes: new Uint8Array(Buffer.from(r.message, 'base64')) }
  } catch {
    return null
  }
}

/** Retry counts per received message id, for the life of the connector (bounded). */
export class RetryCounts {
  private readonly counts = new Map<string, number>()

  next(id: string, encCount: number): number {
    const n = Math.max((this.counts.get(id) ?? 0) + 1, encCount + 1)
    this.counts.delete(id)
    if (this.counts.size >= COUNTS_MAX) this.counts.delete(this.counts.keys().next().value!)
    this.counts.set(id, n)
    return n
  }

  done(id: string): void {
    this.counts.delete(id)
  }
}

/** The retry receipt for an undecryptable message; `withKeys` adds a fresh one-time pre-key (committed first). */
export async function retryReceipt(store: SignalStore, creds: MdCredentials, n: BinaryNode, count: number, withKeys: boolean): Promise<BinaryNode> {
  const id = n.attrs.id ?? ''
  const attrs: Record<string, string> = { id, type: 'retry', to: n.attrs.from ?? '' }
  for (const a of ['participant', 'recipient'] as const) if (n.attrs[a]) attrs[a] = n.attrs[a]
  if (n.attrs.category === 'peer') attrs.category = 'peer'
  const content: BinaryNode[] = [
    node('retry', { count: String(count), id, t: n.attrs.t ?? '0', v: '1' }),
    node('registration', {}, uintBytes(creds.registrationId, 4))
  ]
  if (withKeys) {
    const key = await store.run(async () => {
      const next = readUint(store.get(NS.meta, 'nextPreKeyId') ?? undefined) || 1
      const pair = generateKeyPair()
      store.stage(NS.preKey, String(next), concat(pair.private, pair.public))
      store.stage(NS.meta, 'nextPreKeyId', uintBytes(next + 1, 4))
      store.commit()
      return { id: next, pub: pair.public }
    })
    const spk = creds.signedPreKey
    content.push(
      node('keys', {}, [
        node('type', {}, Uint8Array.of(5)),
        node('identity', {}, creds.identityKey.public),
        node('key', {}, [node('id', {}, uintBytes(key.id, 3)), node('value', {}, key.pub)]),
        node('skey', {}, [node('id', {}, uintBytes(spk.id, 3)), node('value', {}, spk.keyPair.public), node('signature', {}, spk.signature)]),
        ...(creds.account ? [node('device-identity', {}, creds.account)] : [])
      ])
    )
  }
  return node('receipt', attrs, content)
}

/** The `<keys>` of a retry receipt as a bundle (spec §7.4), or null when incomplete. */
function bundleOfKeys(receipt: BinaryNode): Bundle | null {
  const keys = childOf(receipt, 'keys')
  const identity = bytesOf(childOf(keys, 'identity'))
  const skey = childOf(keys, 'skey')
  const spk = bytesOf(childOf(skey, 'value'))
  const signature = bytesOf(childOf(skey, 'signature'))
  if (!keys || !identity || !spk || !signature) return null
  const key = childOf(keys, 'key')
  const preKey = bytesOf(childOf(key, 'value'))
  return {
    registrationId: readUint(bytesOf(childOf(receipt, 'registration'))),
    identity,
    signedPreKey: { id: readUint(bytesOf(childOf(skey, 'id'))), public: spk, signature },
    ...(preKey ? { preKey: { id: readUint(bytesOf(childOf(key, 'id'))), public: preKey } } : {})
  }
}

/**
 * A retry receipt for our message: rebuild the device's session (its keys, else a fresh bundle),
 * re-encrypt the kept plaintext (a DSM for our own devices, the SKDM added in groups) and re-send
 * the same id to that device only. Unknown or exhausted retries are ignored.
 */
export async function answerRetry(out: Outbound, session: MdSession, receipt: BinaryNode): Promise<boolean> {
  const id = receipt.attrs.id ?? ''
  const count = Number(childOf(receipt, 'retry')?.attrs.count ?? 1)
  const device = receipt.attrs.participant ?? receipt.attrs.from ?? ''
  const sent = loadSent(out.store, id)
  const me = out.creds().me?.jid
  if (!sent || !me || count > MAX_RETRIES || !device || isGroupJid(device)) return false
  const group = isGroupJid(sent.chat)
  // Only a device of the chat (a member, in a group) or of our own account may have the message again.
  const asker = out.lids.chatOf(device)
  const own = userJidOf(me)
  const meta = group ? await out.groups.metadata(session, sent.chat) : null
  const allowed = meta ? meta.participants.some((p) => participantPn(p) === asker || userJidOf(p.jid) === userJidOf(device)) : asker === sent.chat
  if (!allowed && asker !== own) return false
  const bundle = bundleOfKeys(receipt) ?? (await out.fetchBundles(session, [device])).get(device)
  if (!bundle) return false
  const store = out.store
  const stanza = await store.run(async () => {
    let plaintext = sent.bytes
    if (meta)
      plaintext = concat(sent.bytes, distributionMessage(store, sent.chat, senderIdentity(meta, out.creds().me!)).bytes) // protobuf fields merge
    else if (userJidOf(device) === userJidOf(me))
      plaintext = encodeProto('Message', { deviceSentMessage: { destinationJid: sent.chat, message: decodeProto<WAMessage>('Message', sent.bytes) } })
    const address = out.lids.sessionJid(device)
    store.stage(NS.session, signalAddress(address).toString(), null)
    await buildSession(store, address, bundle)
    const sealed = await encryptFor(store, address, plaintext)
    store.commit()
    const e = node('enc', { v: '2', type: sealed.type, count: String(count), ...(sent.type === 'reaction' ? { 'decrypt-fail': 'hide' } : {}) }, sealed.body)
    const identity = sealed.type === 'pkmsg' && out.creds().account ? [node('device-identity', {}, out.creds().account!)] : []
    const attrs: Record<string, string> = { id, type: sent.type ?? 'text', ...(sent.edit ? { edit: sent.edit } : {}) }
    if (group) return node('message', { ...attrs, to: sent.chat }, [node('participants', {}, [node('to', { jid: device }, [e])]), ...identity])
    const recipient: Record<string, string> = userJidOf(device) === userJidOf(me) ? { recipient: sent.chat } : {}
    return node('message', { ...attrs, to: device, ...recipient, device_fanout: 'false' }, [e, ...identity])
  })
  session.send(stanza)
  return true
}
