// One logged-in connection, from the end of the handshake until it closes (spec §2.7, §6.6):
// the session's requests, the login sync, and the pushes routed to it. Pushes that arrive
// while the login sync runs are offered to it first; the rest wait at a gate until it has
// emitted its events (sync.ts), so Core never hears of a message before its chat. `Conn` and
// `Cmd` pushes are the Connector's (tokens, takeover, logout); it is told through the hooks.
// The supervised session (networks/supervisor.ts) ends when the socket closes or `end` is called.

import { JunctionError } from '../../../../shared/errors'
import type { SyncResult } from '../../connector'
import type { SupervisedSession } from '../../supervisor'
import { disconnectError, multiDeviceError } from './errors'
import { LiveHandler, type SessionDeps } from './inbound'
import type { Established } from './login/handshake'
import type { PushRouter, SessionPush } from './pushes'
import { WASession } from './session'
import { LoginSync } from './sync'
import type { WASocket } from './transport'
import type { ConnInfo } from './wire-schemas'

export interface LiveHooks {
  /** What the session's handlers share, but the session itself (made here). */
  deps: Omit<SessionDeps, 'session'>
  syncWaitMs: number
  /** False once another connection took this one's place: its pushes are then dropped. */
  isCurrent(live: LiveConnection): boolean
  /** spec §2.7: `Conn` carries rotated tokens and profile updates. */
  onConn(conn: ConnInfo): void
  /** The login sync emitted its events (and the gate opened). */
  onSynced(live: LiveConnection, result: SyncResult): void
  /** The connection ended, for whatever reason; called once. */
  onEnded(live: LiveConnection): void
}

export class LiveConnection {
  readonly session: WASession
  readonly supervised: SupervisedSession
  private readonly handler: LiveHandler
  private loginSync: LoginSync | null
  /** Live pushes held back until the login sync has emitted its events. */
  private readonly gate: SessionPush[] = []
  private ending = false
  private settle: (why?: unknown) => void = () => {}
  private syncing: Promise<SyncResult> = Promise.resolve({ chats: [], contacts: [], messages: [] })

  constructor(
    readonly socket: WASocket,
    private readonly router: PushRouter,
    established: Established,
    private readonly hooks: LiveHooks
  ) {
    const ended = new Promise<unknown>((resolve) => (this.settle = resolve))
    this.supervised = { ended, close: () => this.end() }
    this.session = new WASession(socket, established.credentials.wid)
    const deps: SessionDeps = { ...hooks.deps, session: this.session }
    this.handler = new LiveHandler(deps)
    this.loginSync = new LoginSync(deps, hooks.syncWaitMs)
  }

  /** The login sync's result, once it emitted its events. */
  get synced(): Promise<SyncResult> {
    return this.syncing
  }

  /**
   * Starts the login sync and takes the pushes (those queued since the socket opened first). Called
   * once the Connector holds this connection as its current one, so `isCurrent` is true for them.
   */
  start(): void {
    const { hooks, socket, router } = this
    this.syncing = this.loginSync!.run().finally(() => {
      if (!hooks.isCurrent(this)) return
      this.loginSync = null
      for (const push of this.gate.splice(0)) this.dispatch(push)
    })
    socket.events.on('close', ({ reason }) => {
      hooks.deps.log.info({ reason }, 'connection to WhatsApp ended')
      this.end(new JunctionError('network', reason === 'lost' ? 'The connection to WhatsApp was lost.' : 'The connection to WhatsApp closed.'))
    })
    if (!socket.isOpen) queueMicrotask(() => this.end(new JunctionError('network', 'The connection to WhatsApp closed.')))
    this.syncing.then(
      (result) => {
        if (hooks.isCurrent(this)) hooks.onSynced(this, result)
      },
      (error: unknown) => hooks.deps.log.warn({ error }, 'login sync failed')
    )
    router.start((push) => this.onPush(push))
    // spec §6.6: WA Web announces itself available after login.
    this.session.setPresence('available').catch((error: unknown) => hooks.deps.log.debug({ error }, 'presence not sent'))
  }

  /** Ends the connection with why (settles the supervised session's `ended`). */
  end(why?: unknown): void {
    if (this.ending) return
    this.ending = true
    this.hooks.onEnded(this)
    this.router.dispose()
    this.socket.close()
    this.settle(why)
  }

  private onPush(push: SessionPush): void {
    if (!this.hooks.isCurrent(this)) return
    if (push.type === 'conn') return this.hooks.onConn(push.conn)
    if (push.type === 'cmd') {
      // spec §2.8/§10.3: taken over or logged out: the session ends for good with why.
      if (push.cmd.type === 'disconnect') return this.end(disconnectError(push.cmd.kind))
      if (push.cmd.type === 'upgrade_md_prod') return this.end(multiDeviceError())
      // spec §6.5: a profile picture changed (inbound.ts moves its token on, issue 12 §3).
      if (push.cmd.type === 'picture') return this.dispatch(push)
      return
    }
    if (this.loginSync) {
      if (!this.loginSync.offer(push)) this.gate.push(push)
      return
    }
    this.dispatch(push)
  }

  private dispatch(push: SessionPush): void {
    try {
      this.handler.handle(push)
    } catch (error) {
      this.hooks.deps.log.error({ error, push: push.type }, 'a push could not be handled')
    }
  }
}
