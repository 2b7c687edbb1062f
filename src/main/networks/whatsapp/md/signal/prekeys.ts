// Pre-keys (spec §6.1–§6.3): generate, persist the private halves (committed before the
// upload, so every uploaded key can be used), upload, count, refill on PreKeyLow.

import type { BinaryNode } from '../binary'
import { generateKeyPair, concat } from '../crypto'
import type { MdCredentials } from '../credentials'
import type { MdSession } from '../session'
import { childOf, node, readUint, S_WHATSAPP_NET, uintBytes } from '../stanza'
import { NS, type SignalStore } from './store'

/** spec §14.2: top up to 50 when the server holds fewer than 10. */
export const PREKEY_LOW = 10
export const PREKEY_REFILL = 50

export async function serverPreKeyCount(session: MdSession): Promise<number> {
  const reply = await session.query(node('iq', { xmlns: 'encrypt', type: 'get', to: S_WHATSAPP_NET }, [node('count')]))
  return Number(childOf(reply, 'count')?.attrs.value ?? 0)
}

export async function uploadPreKeys(session: MdSession, store: SignalStore, creds: MdCredentials, count: number): Promise<void> {
  const keys = await store.run(async () => {
    const next = readUint(store.get(NS.meta, 'nextPreKeyId') ?? undefined) || 1
    const made = Array.from({ length: count }, (_, i) => ({ id: next + i, pair: generateKeyPair() }))
    for (const k of made) store.stage(NS.preKey, String(k.id), concat(k.pair.private, k.pair.public))
    store.stage(NS.meta, 'nextPreKeyId', uintBytes(next + count, 4))
    store.commit()
    return made
  })
  const list: BinaryNode[] = keys.map((k) => node('key', {}, [node('id', {}, uintBytes(k.id, 3)), node('value', {}, k.pair.public)]))
  const spk = creds.signedPreKey
  await session.query(
    node('iq', { xmlns: 'encrypt', type: 'set', to: S_WHATSAPP_NET }, [
      node('registration', {}, uintBytes(creds.registrationId, 4)),
      node('type', {}, Uint8Array.of(5)),
      node('identity', {}, creds.identityKey.public),
      node('list', {}, list),
      node('skey', {}, [node('id', {}, uintBytes(spk.id, 3)), node('value', {}, spk.keyPair.public), node('signature', {}, spk.signature)])
    ])
  )
}

/** After login (spec §4.7 step 1) and on PreKeyLow (spec §6.3). */
export async function ensurePreKeys(session: MdSession, store: SignalStore, creds: MdCredentials, initialCount: number): Promise<void> {
  const count = await serverPreKeyCount(session)
  if (count === 0) await uploadPreKeys(session, store, creds, initialCount)
  else if (count < PREKEY_LOW) await uploadPreKeys(session, store, creds, PREKEY_REFILL)
}
