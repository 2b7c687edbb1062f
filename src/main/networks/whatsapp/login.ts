// spec §2: the two ways a connection becomes a session. Pairing: `admin init`, the QR
// `ref,publicKey,clientId`, ref renewal (§2.3), then `Conn` with `secret` → keys (§2.5).
// Restore: `admin init` with the stored client id plus `admin login … takeover`, the
// optional HMAC challenge, and `Conn` with rotated tokens (§2.7).

import { randomBytes } from 'node:crypto'
import { JunctionError, ProtocolError } from '../../../shared/errors'
import type { LoginIO } from '../connector'
import type { WhatsAppConfig } from './config'
import { challengeAnswer, deriveSessionKeys, generateKeyPair, type SessionKeys } from './crypto'
import { normalizeJid } from './jid'
import type { Reply, WASocket } from './socket'
import { disconnectError, loginStatusError, multiDeviceError, updateRequiredError } from './status'
import { cmdSchema, connSchema, initReplySchema, rerefReplySchema, statusReplySchema, type ConnInfo, type WACredentials } from './types'

export interface Established {
  credentials: WACredentials
  keys: SessionKeys
  conn: ConnInfo
}

/** spec §2.3: about five renewals per connection, so six codes in all. */
export const MAX_QR_ATTEMPTS = 6

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64')

function jsonOf(reply: Reply, what: string): unknown {
  if (reply.kind !== 'json') throw new ProtocolError(`WhatsApp answered ${what} with a node instead of JSON.`)
  return reply.value
}

function initCommand(config: WhatsAppConfig, clientId: string): unknown[] {
  return ['admin', 'init', config.version, config.browser, clientId, true]
}

/** spec §2.1: the init reply, or the typed reason it cannot be used. */
function checkInit(value: unknown): { ref: string; ttl: number } {
  if (Array.isArray(value)) throw updateRequiredError()
  const parsed = initReplySchema.safeParse(value)
  if (!parsed.success) throw new ProtocolError('WhatsApp answered admin init with an unexpected shape.')
  if (parsed.data.status !== 200 || !parsed.data.ref) throw loginStatusError(parsed.data.status)
  return { ref: parsed.data.ref, ttl: parsed.data.ttl && parsed.data.ttl > 0 ? parsed.data.ttl : 20_000 }
}

type Push = { type: 'conn'; conn: ConnInfo } | { type: 'cmd'; cmd: { type: string; challenge?: string | undefined; kind?: string | undefined } }

/** Collects the `Conn` and `Cmd` pushes of a handshake into a queue it can wait on. */
class PushQueue {
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

function credentialsFrom(conn: ConnInfo, clientId: string, keys: SessionKeys, previous?: WACredentials): WACredentials {
  const clientToken = conn.clientToken ?? previous?.clientToken
  const serverToken = conn.serverToken ?? previous?.serverToken
  const wid = conn.wid ?? previous?.wid
  if (!clientToken || !serverToken || !wid) throw new ProtocolError('WhatsApp did not send the session tokens.')
  const out: WACredentials = { clientId, clientToken, serverToken, encKey: b64(keys.encKey), macKey: b64(keys.macKey), wid: normalizeJid(wid) }
  const browserToken = conn.browserToken ?? previous?.browserToken
  if (browserToken) out.browserToken = browserToken
  return out
}

/** spec §2.1–§2.5: a fresh pairing by QR. Resolves once the phone has scanned and the keys check out. */
export async function pair(socket: WASocket, config: WhatsAppConfig, io: LoginIO): Promise<Established> {
  const pushes = new PushQueue(socket)
  try {
    const clientId = b64(randomBytes(16))
    const keyPair = generateKeyPair()
    let { ref, ttl } = checkInit(jsonOf(await socket.request(initCommand(config, clientId), { long: true }), 'admin init'))
    for (let attempt = 1; ; attempt++) {
      const expiresAt = Date.now() + ttl
      io.step({ kind: 'qr', payload: `${ref},${b64(keyPair.publicKey)},${clientId}`, expiresAt, attempt, maxAttempts: MAX_QR_ATTEMPTS })
      for (;;) {
        const push = await pushes.next(expiresAt, io.signal)
        if (!push) break
        if (push === 'poked') continue
        if (push.type === 'cmd') {
          if (push.cmd.type === 'upgrade_md_prod') throw multiDeviceError()
          if (push.cmd.type === 'update') throw updateRequiredError()
          continue
        }
        if (!push.conn.secret) continue
        io.step({ kind: 'progress', stage: 'verifying' })
        const keys = deriveSessionKeys(keyPair.privateKey, Buffer.from(push.conn.secret, 'base64'))
        socket.setKeys(keys)
        return { credentials: credentialsFrom(push.conn, clientId, keys), keys, conn: push.conn }
      }
      if (attempt >= MAX_QR_ATTEMPTS) throw new JunctionError('timeout', 'No phone scanned the QR code in time. Start again when your phone is at hand.')
      // spec §2.3: same key pair and client id; only the ref changes.
      const reply = rerefReplySchema.safeParse(jsonOf(await socket.request(['admin', 'Conn', 'reref']), 'reref'))
      if (!reply.success) throw new ProtocolError('WhatsApp answered reref with an unexpected shape.')
      if (reply.data.status === 200 && reply.data.ref) {
        ref = reply.data.ref
        if (reply.data.ttl && reply.data.ttl > 0) ttl = reply.data.ttl
      } else if (reply.data.status === 429) {
        throw new JunctionError('rate-limited', 'WhatsApp will not issue more QR codes on this connection. Start the login again and scan sooner.', {
          retryable: false,
          detail: '429'
        })
      } else if (reply.data.status !== 304) {
        throw new ProtocolError(`WhatsApp answered reref with status ${reply.data.status}.`)
      }
    }
  } finally {
    pushes.dispose()
  }
}

/** spec §2.7: restores a saved session. Rejects with a typed error for every refusal the spec lists. */
export async function resume(socket: WASocket, config: WhatsAppConfig, saved: WACredentials, signal?: AbortSignal): Promise<Established> {
  const pushes = new PushQueue(socket)
  const keys: SessionKeys = { encKey: Buffer.from(saved.encKey, 'base64'), macKey: Buffer.from(saved.macKey, 'base64') }
  if (keys.encKey.length !== 32 || keys.macKey.length !== 32) throw new JunctionError('auth-failed', 'The saved WhatsApp session is damaged. Scan a new QR code.')
  socket.setKeys(keys)
  const outcome: { error: JunctionError | null; loginOk: boolean } = { error: null, loginOk: false }
  const watch = (reply: Promise<Reply>, onValue: (value: unknown) => void): void => {
    reply.then(
      (r) => {
        try {
          onValue(jsonOf(r, 'the login'))
        } catch (error) {
          outcome.error ??= error instanceof JunctionError ? error : new ProtocolError('Unexpected login reply.')
        }
        pushes.poke()
      },
      (error: unknown) => {
        outcome.error ??= error instanceof JunctionError ? error : new JunctionError('network', 'The login failed.')
        pushes.poke()
      }
    )
  }
  try {
    // spec §2.7: init (its ref ignored) and, without waiting, the login with a new long tag.
    watch(socket.request(initCommand(config, saved.clientId), { long: true }), (value) => {
      if (Array.isArray(value)) throw updateRequiredError()
    })
    watch(socket.request(['admin', 'login', saved.clientToken, saved.serverToken, saved.clientId, 'takeover'], { long: true }), (value) => {
      const reply = statusReplySchema.safeParse(value)
      if (!reply.success) throw new ProtocolError('WhatsApp answered the login with an unexpected shape.')
      if (reply.data.status !== 200) throw loginStatusError(reply.data.status, reply.data)
      outcome.loginOk = true
    })
    const deadline = Date.now() + config.requestTimeoutMs
    let conn: ConnInfo | null = null
    let challenged = false
    for (;;) {
      if (outcome.error) throw outcome.error
      // go waits for the 200 after `s1 Conn`; after a challenge the challenge's own 200 stands in for it.
      if (conn && (outcome.loginOk || challenged)) break
      const next = await pushes.next(deadline, signal)
      if (next === 'poked') continue
      if (next === null) throw new JunctionError('timeout', 'WhatsApp did not answer the login in time.')
      if (next.type === 'conn') {
        conn = next.conn
        continue
      }
      const cmd = next.cmd
      if (cmd.type === 'challenge' && cmd.challenge) {
        // spec §2.7: prove possession of macKey with a bare HMAC of the challenge bytes.
        const answer = challengeAnswer(keys.macKey, cmd.challenge)
        const reply = statusReplySchema.safeParse(jsonOf(await socket.request(['admin', 'challenge', answer, saved.serverToken, saved.clientId]), 'the challenge'))
        if (!reply.success || reply.data.status !== 200) throw new JunctionError('auth-failed', 'WhatsApp did not accept the session keys. Scan a new QR code.', { detail: 'challenge' })
        challenged = true
      } else if (cmd.type === 'upgrade_md_prod') throw multiDeviceError()
      else if (cmd.type === 'update') throw updateRequiredError()
      else if (cmd.type === 'disconnect') throw disconnectError(cmd.kind)
    }
    return { credentials: credentialsFrom(conn, saved.clientId, keys, saved), keys, conn }
  } finally {
    pushes.dispose()
  }
}
