// App-state sync (spec §9.3): one collection per iq, from the stored version (or a snapshot
// when there is none), repeated while the server has more patches. Every round's new state
// commits with its events in one KeyStore transaction. A MAC mismatch, a damaged patch or a
// version gap throws away the local state and re-fetches the collection from a snapshot
// (§9.4); a patch naming a key we lack parks the collection until the key share arrives.
// Writes made without a connection (or before the keys came) wait in the KeyStore (outbox.ts)
// and go out in order after the next sync.

import { JunctionError, ProtocolError } from '../../../../../shared/errors'
import type { Logger } from '../../../../base/log'
import type { ChatStateChange, ConnectorEvent, KeyStore } from '../../../connector'
import { decodeProto, encodeProto } from '../proto'
import type { BinaryNode } from '../binary'
import type { MdSession } from '../session'
import { bytesOf, childOf, childrenOf, node, S_WHATSAPP_NET } from '../stanza'
import { chatStateMutations, mutationEvents } from './actions'
import { buildPatch, type OutgoingMutation } from './build'
import { dequeueWrite, enqueueWrite, queuedWrites } from './outbox'
import { applyPatch, applySnapshot, MissingKeyError, type ExternalBlobReference, type SyncdMutation, type SyncdPatch, type SyncdSnapshot } from './patch'
import { COLLECTIONS, emptyState, hasKeys, keyData, loadState, newestKeyId, stateWrite, type CollectionName, type CollectionState } from './store'

/** spec §7.8 ProtocolMessage.Type APP_STATE_SYNC_KEY_SHARE. */
export const APP_STATE_SYNC_KEY_SHARE = 6

/** A failure that may pass with the next connection: the write stays queued. */
function transient(error: unknown): boolean {
  if (!(error instanceof JunctionError)) return false
  return error.code === 'network' || error.code === 'unavailable' || error.code === 'timeout' || error.retryable === true
}

/** A bound on `has_more_patches` rounds, so a server that always says "more" cannot spin us. */
const MAX_ROUNDS = 100

export interface AppStateDeps {
  keyStore: KeyStore
  session(): MdSession | null
  /** spec §9.3: snapshots and external mutations are downloaded like media ("WhatsApp App State Keys"). */
  download(ref: ExternalBlobReference): Promise<Uint8Array>
  log: Logger
  now?(): number
}

/** spec §9.3: one collection from `version`, with a snapshot when we have nothing yet. */
export function syncRequest(name: string, version: number, snapshot: boolean): BinaryNode {
  return node('iq', { to: S_WHATSAPP_NET, xmlns: 'w:sync:app:state', type: 'set' }, [
    node('sync', {}, [node('collection', { name, version: String(version), return_snapshot: snapshot ? 'true' : 'false' })])
  ])
}

export class AppStateSync {
  private queue: Promise<unknown> = Promise.resolve()
  /** Collections waiting for a key (spec §9.1). */
  private readonly parked = new Set<CollectionName>()

  constructor(private readonly d: AppStateDeps) {}

  private now(): number {
    return this.d.now?.() ?? Date.now()
  }

  /** Syncs and writes run one at a time, so a write always patches the newest state. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task)
    this.queue = next.catch(() => {})
    return next
  }

  hasKeys(): boolean {
    return hasKeys(this.d.keyStore)
  }

  /** Fetches `names` (all five by default); failures are logged per collection, never thrown. */
  sync(names: readonly string[] = COLLECTIONS): Promise<void> {
    const known = names.filter((n): n is CollectionName => (COLLECTIONS as readonly string[]).includes(n))
    return this.serial(async () => {
      for (const name of known) await this.syncCollection(name).catch((error: unknown) => this.d.log.warn({ name, error }, 'app-state collection not synced'))
      await this.flushQueued()
    })
  }

  /** New keys arrived: the collections parked for them (or, the first time, all five) sync now. */
  keysArrived(): Promise<void> {
    const names = this.parked.size ? [...this.parked] : [...COLLECTIONS]
    this.parked.clear()
    return this.sync(names)
  }

  private session(): MdSession {
    const s = this.d.session()
    if (!s) throw new JunctionError('unavailable', 'WhatsApp is not connected right now.')
    return s
  }

  private async syncCollection(name: CollectionName): Promise<void> {
    try {
      await this.fetch(name, loadState(this.d.keyStore, name))
    } catch (error) {
      if (error instanceof MissingKeyError) {
        this.parked.add(name)
        this.d.log.info({ name }, 'app-state collection waits for its key')
        return
      }
      if (!(error instanceof JunctionError) || (error.code !== 'integrity' && error.code !== 'protocol')) throw error
      // spec §9.4: never apply half; start again from a snapshot.
      this.d.log.warn({ name, error: error.code }, 'app-state collection failed verification; re-fetching a snapshot')
      await this.fetch(name, emptyState())
    }
  }

  private lookup = (keyId: Uint8Array): Uint8Array | null => keyData(this.d.keyStore, keyId)

  private async fetch(name: CollectionName, start: CollectionState): Promise<void> {
    let state = start
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const fresh = state.version === 0
      const reply = await this.session().query(syncRequest(name, state.version, fresh))
      const col = childrenOf(childOf(reply, 'sync')).find((c) => c.tag === 'collection' && c.attrs.name === name)
      if (!col) throw new ProtocolError(`WhatsApp answered the app-state sync without the ${name} collection.`)
      if (col.attrs.type === 'error') throw new JunctionError('rejected', `WhatsApp refused the ${name} app-state sync.`, { reason: { code: 'refused' } })
      const events: ConnectorEvent[] = []
      const snapshotBlob = bytesOf(childOf(col, 'snapshot'))
      if (snapshotBlob) {
        const ref = decodeProto<ExternalBlobReference>('ExternalBlobReference', snapshotBlob)
        const snapshot = decodeProto<SyncdSnapshot>('SyncdSnapshot', await this.d.download(ref))
        const applied = applySnapshot(name, snapshot, this.lookup)
        state = applied.state
        events.push(...mutationEvents(applied.mutations, this.now()))
      }
      for (const p of childrenOf(childOf(col, 'patches')).filter((c) => c.tag === 'patch')) {
        const raw = bytesOf(p)
        if (!raw) continue
        const patch = decodeProto<SyncdPatch>('SyncdPatch', raw)
        const version = patch.version?.version !== undefined ? Number(patch.version.version) : state.version + 1
        if (version <= state.version) continue // already applied (a redelivery)
        if (version !== state.version + 1) throw new ProtocolError(`An app-state patch skips from version ${state.version} to ${version}.`)
        const external = patch.externalMutations
          ? (decodeProto<{ mutations?: SyncdMutation[] }>('SyncdMutations', await this.d.download(patch.externalMutations)).mutations ?? [])
          : undefined
        const applied = applyPatch(name, state, patch, this.lookup, external)
        state = applied.state
        events.push(...mutationEvents(applied.mutations, this.now()))
      }
      this.d.keyStore.commit([stateWrite(name, state)], events)
      if (col.attrs.has_more_patches !== 'true') return
    }
    this.d.log.warn({ name }, 'app-state sync stopped after too many rounds')
  }

  /**
   * spec §9.6 "Writing": fetch first, patch from the newest state with the newest key, then fetch
   * our own patch back. Without a connection or keys the write is queued (resolving at once) and
   * sent after the next sync; writes queued earlier go first.
   */
  write(chat: string, change: ChatStateChange): Promise<void> {
    const queued = { chat, change, at: this.now() }
    if (!this.d.session() || !this.hasKeys()) {
      enqueueWrite(this.d.keyStore, queued)
      this.d.log.info({}, 'app-state write queued until WhatsApp is reachable')
      return Promise.resolve()
    }
    return this.serial(async () => {
      if (await this.flushQueued()) {
        try {
          return await this.send(chat, change, queued.at)
        } catch (error) {
          if (!transient(error)) throw error
        }
      }
      enqueueWrite(this.d.keyStore, queued)
      this.d.log.info({}, 'app-state write queued until WhatsApp is reachable')
    })
  }

  /** Sends the queued writes in order (inside `serial`); false when one must wait for a later connection. */
  private async flushQueued(): Promise<boolean> {
    for (const [key, w] of queuedWrites(this.d.keyStore)) {
      if (!this.d.session() || !this.hasKeys()) return false
      try {
        await this.send(w.chat, w.change, w.at)
      } catch (error) {
        if (transient(error)) return false
        // Refused for good (e.g. the server rejects the patch): dropped, not retried forever.
        this.d.log.warn({ error: error instanceof JunctionError ? error.code : 'error' }, 'a queued app-state write was refused')
      }
      dequeueWrite(this.d.keyStore, key)
    }
    return true
  }

  private async send(chat: string, change: ChatStateChange, at: number): Promise<void> {
    const byCollection = new Map<CollectionName, OutgoingMutation[]>()
    for (const { collection, mutation } of chatStateMutations(chat, change, at))
      byCollection.set(collection, [...(byCollection.get(collection) ?? []), mutation])
    for (const [name, mutations] of byCollection) {
      await this.syncCollection(name)
      const id = newestKeyId(this.d.keyStore)
      const data = id && keyData(this.d.keyStore, id)
      if (!id || !data) throw new JunctionError('unavailable', 'WhatsApp has not shared its app-state keys with Junction yet.')
      const state = loadState(this.d.keyStore, name)
      const patch = buildPatch(name, state, mutations, { id, data })
      await this.session().query(
        node('iq', { to: S_WHATSAPP_NET, xmlns: 'w:sync:app:state', type: 'set' }, [
          node('sync', {}, [
            node('collection', { name, version: String(state.version), return_snapshot: 'false' }, [node('patch', {}, encodeProto('SyncdPatch', patch))])
          ])
        ])
      )
      await this.syncCollection(name)
    }
  }
}
