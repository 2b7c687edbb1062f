// Test doubles for running WhatsAppMdProtocol against the reference server: an in-memory
// KeyStore (atomic commit of writes + events), a LoginIO that records steps, and helpers
// that wait for a named condition instead of sleeping.

import { createLogger } from '../../../../../src/main/base/log'
import type { ChatInfo, ConnectorContext, ConnectorEvent, KeyStore, KeyWrite, LoginIO, LoginResult } from '../../../../../src/main/networks/connector'
import type { LoginStep } from '../../../../../src/shared/api'
import { WhatsAppMdProtocol } from '../../../../../src/main/networks/whatsapp/md/protocol'
import type { WhatsAppMdServerControls } from '../../../../servers/whatsapp-md'

export class MemoryKeyStore implements KeyStore {
  readonly data = new Map<string, Map<string, Uint8Array>>()
  readonly events: ConnectorEvent[] = []
  commits = 0
  /** When set, the next commit throws (and applies nothing), like a failed SQLite transaction. */
  failNext = false
  /** Narrows `failNext` to the next commit this accepts (other work, e.g. app-state sync, may commit in between). */
  failNextIf: (writes: readonly KeyWrite[], events: readonly ConnectorEvent[]) => boolean = () => true

  get(namespace: string, key: string): Uint8Array | null {
    return this.data.get(namespace)?.get(key) ?? null
  }

  list(namespace: string): Array<[string, Uint8Array]> {
    return [...(this.data.get(namespace) ?? new Map<string, Uint8Array>())]
  }

  commit(writes: readonly KeyWrite[], events: readonly ConnectorEvent[] = []): void {
    if (this.failNext && this.failNextIf(writes, events)) {
      this.failNext = false
      throw new Error('commit failed')
    }
    for (const w of writes) {
      const ns = this.data.get(w.namespace) ?? new Map<string, Uint8Array>()
      if (w.value === null) ns.delete(w.key)
      else ns.set(w.key, w.value.slice())
      this.data.set(w.namespace, ns)
    }
    this.commits++
    this.events.push(...events)
  }

  messages(): Array<{ chat: string; id: string; text: string; fromMe: boolean }> {
    return this.events.flatMap((e) =>
      e.type === 'message' ? [{ chat: e.message.chatRemoteId, id: e.message.remoteId, text: e.message.text, fromMe: e.message.fromMe }] : []
    )
  }
}

export function context(config: Record<string, unknown>, keyStore: KeyStore): ConnectorContext {
  return { config, log: createLogger(() => {}, 'error'), keyStore, connectivity: { onOnline: () => () => {} } }
}

export class RecordingIO implements LoginIO {
  readonly steps: Array<Exclude<LoginStep, { kind: 'done' | 'failed' }>> = []
  private readonly waiters: Array<() => void> = []
  readonly controller = new AbortController()
  readonly redirectUri = null
  get signal(): AbortSignal {
    return this.controller.signal
  }

  step(step: Exclude<LoginStep, { kind: 'done' | 'failed' }>): void {
    this.steps.push(step)
    for (const w of this.waiters.splice(0)) w()
  }

  waitForRedirect(): Promise<string> {
    return Promise.reject(new Error('no browser step'))
  }

  waitForInput(): Promise<Record<string, string>> {
    return Promise.reject(new Error('no input step'))
  }

  qrs(): string[] {
    return this.steps.flatMap((s) => (s.kind === 'qr' ? [s.payload] : []))
  }

  /** Resolves with the n-th QR payload once it has been shown. */
  async qr(n = 1): Promise<string> {
    while (this.qrs().length < n) await new Promise<void>((resolve) => this.waiters.push(resolve))
    return this.qrs()[n - 1]!
  }
}

/** Waits until `check` holds (re-checked on every event loop turn), or fails after `ms`. */
export async function eventually<T>(what: string, check: () => T | undefined | false, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = check()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

export function statuses(protocol: WhatsAppMdProtocol): string[] {
  const seen: string[] = []
  protocol.on((e) => {
    if (e.type === 'status') seen.push(e.status.state + (e.status.reason ? `:${e.status.reason.code}` : ''))
  })
  return seen
}

export function makeProtocol(server: { url: string; rootPublicKey: Uint8Array }, keyStore: KeyStore, extra: Record<string, unknown> = {}): WhatsAppMdProtocol {
  return new WhatsAppMdProtocol(
    context(
      { wsUrl: server.url, noiseRootPublicKey: server.rootPublicKey, initialPreKeys: 30, reconnectBaseMs: 20, requestTimeoutMs: 5_000, ...extra },
      keyStore
    )
  )
}

export interface LinkedCompanion {
  protocol: WhatsAppMdProtocol
  keyStore: MemoryKeyStore
  /** The companion's device JID. */
  device: string
  result: LoginResult
  /** A chat as last reported, by direct events or committed with messages. */
  chat(remoteId: string): ChatInfo | undefined
}

/** Links a new companion of `phone` by QR (spec §5) and waits until it is online; the caller closes it. */
export async function linkCompanion(server: WhatsAppMdServerControls, phone: string, keyStore = new MemoryKeyStore()): Promise<LinkedCompanion> {
  const protocol = makeProtocol(server, keyStore)
  const seen = statuses(protocol)
  const chats: ChatInfo[] = []
  protocol.on((e) => {
    if (e.type === 'chat') chats.push(e.chat)
  })
  const io = new RecordingIO()
  const login = protocol.login({ methodId: 'qr', fields: {}, previous: null }, io)
  const { jid: device } = await server.scan(await io.qr(), phone)
  const result = await login
  await eventually('online', () => seen.includes('online'))
  const chat = (remoteId: string): ChatInfo | undefined =>
    [...chats, ...keyStore.events.flatMap((e) => (e.type === 'chat' ? [e.chat] : []))].filter((c) => c.remoteId === remoteId).at(-1)
  return { protocol, keyStore, device, result, chat }
}
