// One way for every network's tests to drive a Connector without Core: record its events
// and wait for a named one, put its sync batches together, read its media, and give it a
// context (config, log, an in-memory key store, a Connectivity the test controls).

import type { Logger } from '../../src/main/base/log'
import type {
  Connectivity,
  Connector,
  ConnectorContext,
  ConnectorEvent,
  KeyStore,
  KeyWrite,
  MediaBytes,
  MediaStream,
  SyncResult
} from '../../src/main/networks/connector'

type EventOf<T extends ConnectorEvent['type']> = Extract<ConnectorEvent, { type: T }>

export interface EventProbe {
  events: ConnectorEvent[]
  /** Resolves with the first event (already seen or future) that matches. */
  next<T extends ConnectorEvent['type']>(type: T, match?: (e: EventOf<T>) => boolean, timeoutMs?: number): Promise<EventOf<T>>
  /** Like `next`, but only for events after this call. */
  after<T extends ConnectorEvent['type']>(type: T, match?: (e: EventOf<T>) => boolean, timeoutMs?: number): Promise<EventOf<T>>
  of<T extends ConnectorEvent['type']>(type: T): EventOf<T>[]
}

export function probeEvents(connector: Pick<Connector, 'on'>): EventProbe {
  const events: ConnectorEvent[] = []
  const waiters = new Set<(e: ConnectorEvent) => void>()
  connector.on((e) => {
    events.push(e)
    for (const w of [...waiters]) w(e)
  })
  const wait = <T extends ConnectorEvent['type']>(from: number, type: T, match: (e: EventOf<T>) => boolean, timeoutMs: number): Promise<EventOf<T>> =>
    new Promise((resolve, reject) => {
      const test = (e: ConnectorEvent): e is EventOf<T> => e.type === type && match(e as EventOf<T>)
      const seen = events.slice(from).find(test)
      if (seen) return resolve(seen)
      const timer = setTimeout(() => {
        waiters.delete(w)
        reject(new Error(`timed out waiting for a ${type} event`))
      }, timeoutMs)
      const w = (e: ConnectorEvent): void => {
        if (!test(e)) return
        clearTimeout(timer)
        waiters.delete(w)
        resolve(e)
      }
      waiters.add(w)
    })
  return {
    events,
    next: (type, match = () => true, timeoutMs = 5_000) => wait(0, type, match, timeoutMs),
    after: (type, match = () => true, timeoutMs = 5_000) => wait(events.length, type, match, timeoutMs),
    of: (type) => events.filter((e) => e.type === type) as never
  }
}

/** Everything `sync()` yields, as one result. */
export async function syncAll(connector: Pick<Connector, 'sync'>): Promise<SyncResult> {
  const out: SyncResult = { chats: [], contacts: [], messages: [] }
  for await (const batch of connector.sync()) {
    out.chats.push(...(batch.chats ?? []))
    out.contacts.push(...(batch.contacts ?? []))
    out.messages.push(...(batch.messages ?? []))
  }
  return out
}

/** The bytes of fetched media, whether it came whole or as a stream. */
export async function mediaBytes(media: MediaBytes | MediaStream): Promise<Buffer> {
  if ('bytes' in media) return Buffer.from(media.bytes)
  const chunks: Uint8Array[] = []
  for await (const chunk of media.chunks) chunks.push(chunk)
  return Buffer.concat(chunks)
}

/** Connectivity a test drives: `online()` is the machine's network coming back. */
export function manualConnectivity(): Connectivity & { online(): void } {
  const listeners = new Set<() => void>()
  return {
    onOnline: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    online: () => {
      for (const l of [...listeners]) l()
    }
  }
}

/** A key store in memory, with every commit recorded (the events it carried included). */
export function memoryKeyStore(): KeyStore & { commits: Array<{ writes: readonly KeyWrite[]; events: readonly ConnectorEvent[] }> } {
  const values = new Map<string, Uint8Array>()
  const slot = (ns: string, key: string): string => `${ns}\u0000${key}`
  const commits: Array<{ writes: readonly KeyWrite[]; events: readonly ConnectorEvent[] }> = []
  return {
    commits,
    get: (ns, key) => values.get(slot(ns, key)) ?? null,
    list: (ns) =>
      [...values.entries()]
        .filter(([k]) => k.startsWith(`${ns}\u0000`))
        .map(([k, v]): [string, Uint8Array] => [k.slice(ns.length + 1), v])
        .sort(([a], [b]) => a.localeCompare(b)),
    commit(writes, events = []) {
      for (const w of writes) {
        if (w.value === null) values.delete(slot(w.namespace, w.key))
        else values.set(slot(w.namespace, w.key), Uint8Array.from(w.value))
      }
      commits.push({ writes, events })
    }
  }
}

/** A ConnectorContext for a Connector driven by a test. */
export function testContext(
  config: Record<string, unknown>,
  log: Logger,
  options: { keyStore?: KeyStore; connectivity?: Connectivity } = {}
): ConnectorContext {
  return { config, log, keyStore: options.keyStore ?? memoryKeyStore(), connectivity: options.connectivity ?? { onOnline: () => () => {} } }
}
