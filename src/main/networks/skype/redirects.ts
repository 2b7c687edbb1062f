// Both dialects open a session the same way: connect, handshake, and follow an XFR to
// another server (up to a limit) when the handshake is answered with one (spec §5.2, §4.1).

import { ProtocolError } from '../../../shared/errors'
import type { Logger } from '../../base/log'
import { MsnpSocket, type SocketTarget } from './socket'

const MAX_REDIRECTS = 5

export interface RedirectingOpen<S, H> {
  target: SocketTarget
  log: Logger
  timeoutMs: number
  signal?: AbortSignal | undefined
  /** e.g. "The Skype server", for the error when redirects never end. */
  server: string
  /** What the first handshake carries (MSNP24's XFR state, MSNP21's hop blob). */
  firstHop: H
  create(socket: MsnpSocket): S
  /** Resolves with where to go next, or null once the session is up. */
  handshake(session: S, hop: H): Promise<{ target: SocketTarget; hop: H } | null>
  start(session: S): void
  end(session: S): void
}

export async function openFollowingRedirects<S, H>(o: RedirectingOpen<S, H>): Promise<S> {
  let target = o.target
  let hop = o.firstHop
  for (let n = 0; n <= MAX_REDIRECTS; n++) {
    const socket = await MsnpSocket.connect(target, o.log, o.timeoutMs, o.signal)
    const session = o.create(socket)
    let redirect: { target: SocketTarget; hop: H } | null
    try {
      redirect = await o.handshake(session, hop)
    } catch (error) {
      o.end(session)
      socket.close()
      throw error
    }
    if (!redirect) {
      o.start(session)
      return session
    }
    o.end(session)
    socket.close()
    ;({ target, hop } = redirect)
    o.log.info({ host: target.host, port: target.port }, 'msnp redirect')
  }
  throw new ProtocolError(`${o.server} redirected Junction too many times.`)
}
