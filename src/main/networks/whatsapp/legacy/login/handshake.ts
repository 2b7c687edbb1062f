// spec §2: what both logins share (pair.ts: a fresh pairing by QR; resume.ts: a restore
// with takeover): the `admin init` command and its checks, the queue of `Conn`/`Cmd`
// pushes a handshake waits on, and the saved credentials built from `Conn`.

import { JunctionError, ProtocolError } from '../../../../../shared/errors'
import type { WhatsAppConfig } from '../config'
import type { SessionKeys } from '../crypto'
import { normalizeJid } from '../jid'
import type { Reply, WASocket } from '../transport'
import { loginStatusError, updateRequiredError } from '../errors'
import { LEGACY_PROTOCOL, type WACredentials } from '../credentials'
import { cmdSchema, connSchema, initReplySchema, type ConnInfo } from '../wire-schemas'

export interface Established {
  credentials: WACredentials
  keys: SessionKeys
  conn: ConnInfo
}

export const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64')

export function jsonOf(reply: Reply, what: string): unknown {
  if (reply.kind !== 'json') throw new ProtocolError(`WhatsApp answered ${what} with a node instead of JSON.`)
  return reply.value
}

export function initCommand(config: WhatsAppConfig, clientId: string): unknown[] {
  return ['admin', 'init', config.version, config.browser, clientId, true]
}

/** spec §2.1: the init reply, or the typed reason it cannot be used. */
export function checkInit(value: unknown): { ref: string; ttl: number } {
  if (Array.isArray(value)) throw updateRequiredError()
  const parsed = initReplySchema.safeParse(value)
  if (!parsed.success) throw new ProtocolError('WhatsApp answered admin init with an unexpected shape.')
  if (parsed.data.status !== 200 || !parsed.data.ref) throw loginStatusError(parsed.data.status)
  return { ref: parsed.data.ref, ttl: parsed.data.ttl && parsed.data.ttl > 0 ? parsed.data.ttl : 20_000 }
}

type Push = { type: 'conn'; conn: ConnInfo } | { type: 'cmd'; cmd: { type: string; challenge?: string | undefined; kind?: string | undefined } }

/** Collects the `Conn` and `Cmd` pushes of a handshake into a queue it can wait on. */
export class PushQueue {
  private readonly queue: Push[] = []
  private wake: (() => void) | null = null
  private closed: JunctionError | null = null
  private poked = false
  private readonly offs: (() => void)[]

  constructor(socket: WASocket) {
    this.offs = [
      socket.events.on('json', ({ value }) => {
        if (!Array.isArray(value)) return
        if (value[0] === 'Conn') {
          const conn = connSchema.safeParse(value[1])
          if (conn.success) this.push({ type: 'conn', conn: conn.data })
        } else if (value[0] === 'Cmd') {
          const cmd = cmdSchema.safeParse(value[1])
          if (cmd.success) this.push({ type: 'cmd', cmd: cmd.data })
        }
      }),
      socket.events.on('close', ({ reason }) => {
        this.closed = new JunctionError('network', reason === 'lost' ? 'The connection to WhatsApp was lost.' : 'The connection to WhatsApp closed.')
        this.wake?.()
      })
    ]
  }

  private push(p: Push): void {
    this.queue.push(p)
    this.wake?.()
  }

  /** Wakes a waiting `next()` (which then returns null early) so the caller re-checks its state. */
  poke(): void {
    this.poked = true
    this.wake?.()
  }

  /** The next push; 'poked' after `poke()`; null when `deadline` passes. */
  async next(deadline: number, signal?: AbortSignal): Promise<Push | 'poked' | null> {
    for (;;) {
      const p = this.queue.shift()
      if (p) return p
      if (this.closed) throw this.closed
      if (signal?.aborted) throw new JunctionError('cancelled', 'The login was cancelled.')
      if (this.poked) {
        this.poked = false
        return 'poked'
      }
      const wait = deadline - Date.now()
      if (wait <= 0) return null
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer)
          signal?.removeEventListener('abort', done)
          this.wake = null
          resolve()
        }
        const timer = setTimeout(done, wait)
        signal?.addEventListener('abort', done)
        this.wake = done
      })
    }
  }

  dispose(): void {
    for (const off of this.offs) off()
    this.wake?.()
  }
}

export function credentialsFrom(conn: ConnInfo, clientId: string, keys: SessionKeys, previous?: WACredentials): WACredentials {
  const clientToken = conn.clientToken ?? previous?.clientToken
  const serverToken = conn.serverToken ?? previous?.serverToken
  const wid = conn.wid ?? previous?.wid
  if (!clientToken || !serverToken || !wid) throw new ProtocolError('WhatsApp did not send the session tokens.')
  const out: WACredentials = {
    protocol: LEGACY_PROTOCOL,
    clientId,
    clientToken,
    serverToken,
    encKey: b64(keys.encKey),
    macKey: b64(keys.macKey),
    wid: normalizeJid(wid)
  }
  const browserToken = conn.browserToken ?? previous?.browserToken
  if (browserToken) out.browserToken = browserToken
  return out
}
