// Identity changes (spec §6.10): a contact who reinstalls WhatsApp gets a new Signal identity
// key. The server says so with `<notification type="encrypt" from=USER><identity/></notification>`:
// every session with that user is deleted (as whatsmeow does), so the next message builds a
// new one from a pkmsg. Both libraries trust on first use and accept the new key silently; the
// "security code changed" line is the app's business, and Junction shows it as a system
// message in the chat when a pkmsg arrives under a different identity key than the one last
// seen from that device. The last seen key of every device is kept (it outlives the session).

import type { IncomingMessage } from '../../connector'
import { parseJid, signalAddressName } from './binary'
import type { LidMap } from './lid'
import { NS, type SignalStore } from './signal/store'

/** KeyStore namespace: base64 identity key last seen per Signal address (`name.device`). */
export const IDENTITY_NS = 'wamd.identity'

interface SerializedRecord {
  _sessions?: Record<string, { indexInfo?: { remoteIdentityKey?: string; closed?: number; used?: number } }>
}

/** The remote identity key (base64) of a session record as libsignal serialises it, newest session first. */
function identityOfRecord(raw: Uint8Array | null): string | null {
  if (!raw) return null
  try {
    const record = JSON.parse(new TextDecoder().decode(raw)) as SerializedRecord
    const sessions = Object.values(record._sessions ?? {}).filter((s) => s.indexInfo?.remoteIdentityKey)
    const open = sessions.find((s) => s.indexInfo?.closed === -1)
    const newest = open ?? sessions.sort((a, b) => Number(b.indexInfo?.used ?? 0) - Number(a.indexInfo?.used ?? 0))[0]
    return newest?.indexInfo?.remoteIdentityKey ?? null
  } catch {
    return null
  }
}

/** The identity key last seen from `address`: recorded, or the one its session holds. */
export function knownIdentity(store: SignalStore, address: string): string | null {
  const raw = store.get(IDENTITY_NS, address)
  return raw ? new TextDecoder().decode(raw) : identityOfRecord(store.get(NS.session, address))
}

/**
 * After a pkmsg from `address` was decrypted (inside the caller's `store.run`): records the key
 * its new session holds, and says whether it differs from `before` (a changed security code).
 */
export function noteIdentity(store: SignalStore, address: string, before: string | null): boolean {
  const now = identityOfRecord(store.get(NS.session, address))
  if (!now) return false
  const stored = store.get(IDENTITY_NS, address)
  if (!stored || new TextDecoder().decode(stored) !== now) store.stage(IDENTITY_NS, address, new TextEncoder().encode(now))
  return before !== null && before !== now
}

/** The system line shown in the chat (spec §6.10: the app's business). */
export function securityCodeChanged(chat: string, senderId: string, name: string | undefined, messageId: string, timestampMs: number): IncomingMessage {
  const who = name ?? `+${senderId.split('@')[0]}`
  return {
    chatRemoteId: chat,
    remoteId: `identity-${messageId}`,
    senderId,
    fromMe: false,
    timestamp: timestampMs,
    kind: 'system',
    text: `Your security code with ${who} changed.`,
    e2ee: true
  }
}

/** spec §6.10: deletes every session with the user (its PN and LID addresses), keeping the keys last seen. */
export async function forgetIdentity(store: SignalStore, lids: LidMap, from: string): Promise<void> {
  const user = parseJid(from)
  if (!user) return
  await store.run(async () => {
    const pn = parseJid(lids.chatOf(from))
    const lid = parseJid(lids.sessionJid(from))
    const names = new Set([user, pn, lid].flatMap((j) => (j ? [`${signalAddressName(j)}.`] : [])))
    for (const [address, raw] of store.list(NS.session)) {
      if (![...names].some((prefix) => address.startsWith(prefix))) continue
      const identity = identityOfRecord(raw)
      if (identity && !store.get(IDENTITY_NS, address)) store.stage(IDENTITY_NS, address, new TextEncoder().encode(identity))
      store.stage(NS.session, address, null)
    }
    store.commit()
  })
}
