// The libsignal store adapter (spec §6) over the Connector KeyStore. Writes are staged and
// reach the store only through `commit(events)`, in one transaction with the events they
// produced: a decrypted message and the advanced ratchet land together or not at all (spec
// §13.1–§13.2). Every Signal operation runs alone (`run`), so the staged overlay belongs to it.

import { SessionRecord } from 'libsignal'
import type { ConnectorEvent, KeyStore, KeyWrite } from '../../../connector'
import { signalPublic } from '../crypto'
import type { MdCredentials } from '../credentials'
import { silenceLibsignalConsole } from './quiet'

silenceLibsignalConsole()

export const NS = {
  session: 'wamd.session',
  preKey: 'wamd.prekey',
  meta: 'wamd.meta',
  /** (sender, message id) of messages already decrypted and stored: a redelivery is only re-acked (spec §13.2). */
  seen: 'wamd.seen',
  /** Sender-key states by `group::user::device` (spec §6.7). */
  senderKey: 'wamd.senderkey',
  /** Per group: the devices that already hold our current sender key (spec §6.11). */
  senderKeyMemory: 'wamd.skmemory',
  /** Recently sent messages, kept (bounded) to answer retry receipts (spec §7.4, §13.12). */
  sent: 'wamd.sent',
  /** PN user ↔ LID user (spec §6.9), keyed `pn:USER` and `lid:USER`. */
  lid: 'wamd.lid'
} as const

const json = new TextEncoder()
const unjson = new TextDecoder()

export class SignalStore {
  private staged = new Map<string, KeyWrite>()
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly keyStore: KeyStore,
    private readonly creds: () => MdCredentials
  ) {}

  /** Runs one Signal operation after the previous one settled; staged writes it leaves uncommitted are dropped. */
  run<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      this.staged.clear()
      try {
        return await operation()
      } finally {
        this.staged.clear()
      }
    })
    this.queue = next.catch(() => {})
    return next
  }

  get(namespace: string, key: string): Uint8Array | null {
    const staged = this.staged.get(`${namespace}\u0000${key}`)
    if (staged) return staged.value
    return this.keyStore.get(namespace, key)
  }

  /** Committed entries of a namespace (staged writes not included). */
  list(namespace: string): Array<[string, Uint8Array]> {
    return this.keyStore.list(namespace)
  }

  stage(namespace: string, key: string, value: Uint8Array | null): void {
    this.staged.set(`${namespace}\u0000${key}`, { namespace, key, value })
  }

  /** Applies the staged writes and `events` atomically (KeyStore.commit); nothing to apply is no commit. */
  commit(events: readonly ConnectorEvent[] = []): void {
    // A group send stores the metadata's PN↔LID pairs first (group-send.ts), almost always ones known already.
    if (this.staged.size === 0 && events.length === 0) return
    this.keyStore.commit([...this.staged.values()], events)
    this.staged.clear()
  }

  hasSession(address: string): boolean {
    return this.loadRecord(address)?.haveOpenSession() ?? false
  }

  /** A session record; a damaged one counts as none, so a pkmsg replaces it (spec §13.1). */
  private loadRecord(address: string): SessionRecord | undefined {
    const raw = this.get(NS.session, address)
    if (!raw) return undefined
    try {
      return SessionRecord.deserialize(JSON.parse(unjson.decode(raw)) as never)
    } catch {
      return undefined
    }
  }

  /** The storage interface libsignal's SessionBuilder/SessionCipher call. */
  libsignal(): object {
    const creds = this.creds()
    const identity = { privKey: Buffer.from(creds.identityKey.private), pubKey: Buffer.from(signalPublic(creds.identityKey.public)) }
    const signed = { privKey: Buffer.from(creds.signedPreKey.keyPair.private), pubKey: Buffer.from(signalPublic(creds.signedPreKey.keyPair.public)) }
    return {
      loadSession: async (id: string) => this.loadRecord(id),
      storeSession: async (id: string, record: SessionRecord) => {
        this.stage(NS.session, id, json.encode(JSON.stringify(record.serialize())))
      },
      // Trust on first use, as both libraries do (spec §6.10); identity changes re-key silently.
      isTrustedIdentity: () => true,
      loadPreKey: async (id: number | string) => {
        const raw = this.get(NS.preKey, String(id))
        return raw ? { privKey: Buffer.from(raw.subarray(0, 32)), pubKey: Buffer.from(signalPublic(raw.subarray(32))) } : undefined
      },
      removePreKey: async (id: number) => this.stage(NS.preKey, String(id), null),
      loadSignedPreKey: (id?: number) => (id === undefined || id === creds.signedPreKey.id ? signed : undefined),
      getOurRegistrationId: () => creds.registrationId,
      getOurIdentity: () => identity
    }
  }
}
