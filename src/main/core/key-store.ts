// The Connector key store (networks/connector.ts `KeyStore`): protocol state per account,
// each value sealed by the Vault with its account, namespace and key bound as associated
// data, written in the same SQLite transaction as the events its change produced.

import { JunctionError } from '../../shared/errors'
import type { ConnectorEvent, KeyStore, KeyWrite } from '../networks/connector'
import type { Store } from './store'
import type { Vault } from './vault'

/** Applies events inside the caller's transaction and tells the renderer only after it commits. */
export interface AtomicIngest {
  applyAtomically(accountId: string, events: readonly ConnectorEvent[], inTransaction: () => void): void
}

const slot = (namespace: string, key: string): string => `${namespace}\u0000${key}`

export class AccountKeyStore implements KeyStore {
  /** Before the login has an account: everything stays here, and `bind` writes it. */
  private pending: Map<string, KeyWrite> | null
  private pendingEvents: ConnectorEvent[] = []
  private accountId: string | null

  constructor(
    private readonly store: Store,
    private readonly vault: Vault,
    private readonly ingest: AtomicIngest,
    accountId: string | null
  ) {
    this.accountId = accountId
    this.pending = accountId === null ? new Map() : null
  }

  /** The login created its account: from now on writes go to the database, starting with what was kept in memory. */
  bind(accountId: string): void {
    if (this.accountId !== null) return
    const writes = [...(this.pending?.values() ?? [])]
    const events = this.pendingEvents.splice(0)
    this.accountId = accountId
    this.pending = null
    this.ingest.applyAtomically(accountId, events, () => this.write(accountId, writes))
  }

  get(namespace: string, key: string): Uint8Array | null {
    if (this.pending) return this.pending.get(slot(namespace, key))?.value ?? null
    const sealed = this.store.keys.get(this.accountId!, namespace, key)
    return sealed ? this.vault.open(sealed, this.context(namespace, key)) : null
  }

  list(namespace: string): Array<[string, Uint8Array]> {
    if (this.pending) {
      return [...this.pending.values()].filter((w) => w.namespace === namespace && w.value !== null).map((w) => [w.key, w.value!])
    }
    return this.store.keys.list(this.accountId!, namespace).map((r) => [r.key, this.vault.open(r.value, this.context(namespace, r.key))])
  }

  commit(writes: readonly KeyWrite[], events: readonly ConnectorEvent[] = []): void {
    for (const w of writes) {
      if (typeof w.namespace !== 'string' || typeof w.key !== 'string' || w.namespace.length === 0) {
        throw new JunctionError('internal', 'A key store write has no namespace or key.')
      }
    }
    if (this.pending) {
      // A login in progress (history sync during pairing): writes and events wait for the account.
      for (const w of writes) this.pending.set(slot(w.namespace, w.key), { ...w })
      this.pendingEvents.push(...events)
      return
    }
    const accountId = this.accountId!
    this.ingest.applyAtomically(accountId, events, () => this.write(accountId, writes))
  }

  private write(accountId: string, writes: readonly KeyWrite[]): void {
    for (const w of writes) {
      if (w.value === null) this.store.keys.delete(accountId, w.namespace, w.key)
      else this.store.keys.put(accountId, w.namespace, w.key, this.vault.seal(w.value, this.context(w.namespace, w.key)))
    }
  }

  private context(namespace: string, key: string): string {
    return `keys\u0000${this.accountId}\u0000${namespace}\u0000${key}`
  }
}
